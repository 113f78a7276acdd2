// The documentation stands alone: every relative link in README.md and docs/*.md names a file
// inside this repository (no links to a design folder beside it), and the REST contract the
// server keeps is part of docs/.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/server.ts';

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

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
    for (const route of ['/licenses/borrow', '/licenses/return', '/licenses/{tool}/status', '/licenses/status', '/borrows', '/overage-charges', '/config/budget', '/frontend-error', '/version']) {
      expect(contract).toContain(`\`${route}\``);
    }
    expect(readFileSync(join(ROOT, 'docs/interfaces.md'), 'utf8')).toContain('](rest-contract.md)');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/rest-contract.md)');
  });
});
