// The README as GitHub renders it (marked, GitHub-flavoured): every table is a real table (a
// stray blank line once turned the configuration's last rows into a paragraph of pipes),
// the configuration table names every variable the server reads, every page the server
// serves is listed under its page's own title, and the whole stays a product README under
// 250 lines. Neither it nor the docs, code comments or tests carry issue numbers.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/server.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const tokens = marked.lexer(readme, { gfm: true });
const all = (list: Token[]): Token[] => list.flatMap((t) => [t, ...all(((t as { tokens?: Token[] }).tokens ?? []) as Token[])]);
const tables = all(tokens).filter((t): t is Tokens.Table => t.type === 'table');
const cellText = (c: Tokens.TableCell) => c.text;
const firstColumn = (t: Tokens.Table) => t.rows.map((r) => cellText(r[0]!));
const tableWithHeader = (first: string) => tables.find((t) => cellText(t.header[0]!) === first);

describe('README.md rendered', () => {
  it('is under 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThan(250);
  });

  it('has no table broken into a paragraph of pipes', () => {
    const paragraphs = all(tokens).filter((t): t is Tokens.Paragraph => t.type === 'paragraph');
    expect(paragraphs.filter((p) => /^\s*\|.*\|\s*$/m.test(p.raw)).map((p) => p.raw.slice(0, 80))).toEqual([]);
    const source = readme.split('\n').filter((l) => l.startsWith('|')).length;
    const rendered = tables.reduce((n, t) => n + t.rows.length + 2, 0); // header and delimiter rows
    expect(rendered).toBe(source);
  });

  it('lists every variable the server reads in the configuration table, AUTH_MODE, FLOATLINE_ADMIN_TOKEN and OIDC_* included', () => {
    const config = tableWithHeader('variable');
    expect(config, 'a table headed "variable | default | meaning"').toBeDefined();
    const named = new Set(firstColumn(config!).flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
    const read = new Set([...readFileSync(join(ROOT, 'server/config.ts'), 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect(read.size).toBeGreaterThan(30);
    for (const name of ['AUTH_MODE', 'FLOATLINE_ADMIN_TOKEN', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'LICENSE_DB_PATH', 'LICENSE_DB_SEED']) {
      expect(named.has(name), name).toBe(true);
    }
    expect([...read].filter((name) => !named.has(name))).toEqual([]);
  });

  it('lists every page the server serves, the dashboard pages under their own titles', () => {
    const pages = tableWithHeader('URL');
    expect(pages).toBeDefined();
    const rows = new Map(pages!.rows.map((r) => [new URL(cellText(r[0]!).split(',')[0]!).pathname, cellText(r[1]!)]));
    const router = readFileSync(join(ROOT, 'client/src/lib/router.svelte.ts'), 'utf8');
    const paths = Object.fromEntries(
      [...router.match(/const PATHS[^{]*\{([^}]*)\}/)![1]!.matchAll(/(\w+): '([^']+)'/g)].map((m) => [m[1]!, m[2]!]),
    );
    const app = readFileSync(join(ROOT, 'client/src/app.svelte'), 'utf8');
    const titles = Object.fromEntries(
      [...app.match(/const titles = \{([^}]*)\}/)![1]!.matchAll(/(\w+): '([^']+)'/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['dashboard', 'config', 'teams', 'costs', 'tokens']));
    for (const [route, path] of Object.entries(paths)) {
      expect(rows.has(path), `${path} is listed`).toBe(true);
      if (route === 'dashboard') continue;
      const title = titles[route]!.replace(/ — Floatline$/, '');
      expect(rows.get(path), `${path} is called ${title}`).toContain(`**${title}**`);
    }
    const served = [...readFileSync(join(ROOT, 'server/static-files.ts'), 'utf8').matchAll(/app\.get(?:<[^>]*>)?\('(\/[a-z]+)'/g)].map(
      (m) => m[1]!,
    );
    for (const path of [...served, '/graphql', '/docs', '/metrics', '/healthz']) expect(rows.has(path), `${path} is listed`).toBe(true);
  });

  it('says what the two test commands cover, how long they take, and what they install', () => {
    const tiers = tableWithHeader('command');
    expect(tiers).toBeDefined();
    expect(firstColumn(tiers!)).toEqual(['`npm test`', '`npm run test:e2e`']);
    for (const tool of ['chromium', 'prometheus', 'postgresql', 'redis']) expect(readme).toContain(tool);
    expect(readme).toMatch(/apt-get/);
  });
});

describe('issue numbers', () => {
  it('appear in no document, code comment or test (migrations, applied by checksum, excepted)', () => {
    const grep = spawnSync(
      'git',
      [
        'grep',
        '-nIE',
        '[Ii]ssues? #[0-9]+',
        '--',
        '.',
        ':!prisma/migrations',
        ':!prisma/postgresql/migrations',
        ':!test/readme-render.test.ts',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(grep.status, grep.stderr).not.toBe(2); // 1: nothing found
    expect(grep.stdout).toBe('');
  });
});
