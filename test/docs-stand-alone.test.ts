// The documentation stands alone: every relative link in README.md and docs/*.md names a file
// inside this repository (no links to a design folder beside it), and the REST contract the
// server keeps is part of docs/.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/server.ts';

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('documentation', () => {
  it('links only to files inside the repository, and they exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#|\/)/.test(target!)) continue; // the web, anchors, server paths (/metrics)
        const file = resolve(ROOT, dirname(page), target!.split('#')[0]!);
        const inside = !relative(ROOT, file).startsWith('..');
        if (!inside || !existsSync(file)) broken.push(`${page} → ${target}`);
      }
      for (const [mention] of text.matchAll(/\.\.\/shared\/[^\s`)]*/g)) broken.push(`${page} mentions ${mention}`);
    }
    expect(broken).toEqual([]);
  });

  it('carries the REST contract and links it from the interfaces and the README', () => {
    const contract = readFileSync(join(ROOT, 'docs/rest-contract.md'), 'utf8');
    for (const route of [
      '/licenses/borrow',
      '/licenses/return',
      '/licenses/{tool}/status',
      '/licenses/status',
      '/borrows',
      '/overage-charges',
      '/config/budget',
      '/frontend-error',
      '/version',
    ]) {
      expect(contract).toContain(`\`${route}\``);
    }
    expect(readFileSync(join(ROOT, 'docs/interfaces.md'), 'utf8')).toContain('](rest-contract.md)');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/rest-contract.md)');
  });

  it("gives docs/performance.md one current table from a named run, whose numbers are that run's", () => {
    const perf = readFileSync(join(ROOT, 'docs/performance.md'), 'utf8');
    const at = perf.indexOf('## Current figures\n');
    expect(at, 'docs/performance.md has a "## Current figures" section').toBeGreaterThan(0);
    const section = perf.slice(at, perf.indexOf('\n## ', at + 5));
    const tables = section.split('\n\n').filter((block) => block.trimStart().startsWith('|'));
    expect(tables).toHaveLength(1);
    // The run is named, and the appendix reports it in full.
    const [, day, time] = /on (\d{4}-\d\d-\d\d) at (\d\d:\d\d) UTC/.exec(section) ?? [];
    expect(day, 'the section names its run: "on YYYY-MM-DD at HH:MM UTC"').toBeDefined();
    const appendix = perf.slice(perf.indexOf('## Appendix: run history'));
    expect(appendix).toContain(`Run ${day} ${time} UTC`);
    expect(section).toContain('```bash\nnpm run bench\n```');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/performance.md)');
    // Every figure in the table is one the appendix prints.
    const history = appendix.replaceAll(',', '');
    const figures = [...tables[0]!.matchAll(/\d[\d,]*(\.\d+)?/g)].map(([n]) => n.replaceAll(',', ''));
    expect(figures.filter((n) => !new RegExp(`(^|[^\\d.])${n.replace('.', '\\.')}($|[^\\d])`).test(history))).toEqual([]);
  });
});
