#!/usr/bin/env node
// Builds the DevOps comparison page: docs/overview.md → dist/overview/index.html, rendered
// with marked at build time like the deck (same renderer: code escaped, no client-side
// highlighter). The server serves it at /overview. The page loads no script at all (the
// server's CSP allows only same-origin scripts) and one stylesheet from /overview/.
//
// Links in the Markdown that point into the repository (overview.md, ../Dockerfile) read well
// on GitHub or in an editor, but this server does not serve the repository: in the page they
// become the file's path in <code>. Links to server paths (/metrics) and to the web stay links.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';
import { escapeHtml } from './build-slides.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'docs', 'overview.md');
const OUT = join(ROOT, 'dist', 'overview');

export function renderOverview(markdown) {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code({ text, lang }) {
        const language = (lang || '').trim().split(/\s+/)[0];
        return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(text)}</code></pre>\n`;
      },
      // Each cell carries its column's name (data-label): on a phone the rows stack and say it.
      table({ header, rows }) {
        const names = header.map((cell) => this.parser.parseInline(cell.tokens));
        const head = names.map((name) => `<th>${name}</th>`).join('');
        const body = rows
          .map(
            (row) =>
              `<tr>${row.map((cell, i) => `<td data-label="${escapeHtml(names[i].replace(/<[^>]+>/g, ''))}">${this.parser.parseInline(cell.tokens)}</td>`).join('')}</tr>`,
          )
          .join('\n');
        return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n`;
      },
      link({ href, tokens }) {
        const label = this.parser.parseInline(tokens);
        if (/^(\/|https?:|mailto:|#)/.test(href)) return `<a href="${escapeHtml(href)}">${label}</a>`;
        const path = relative(ROOT, normalize(join(dirname(SOURCE), href))) + (href.endsWith('/') ? '/' : '');
        const file = `<code title="file in this repository">${escapeHtml(path)}</code>`;
        return label.replace(/<[^>]+>/g, '') === escapeHtml(path) ? file : `${label} (${file})`;
      },
    },
  });
  const title = markdown.match(/^#\s+(.+)$/m)?.[1] ?? 'Floatline overview';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · Floatline</title>
<link rel="icon" href="/presentation/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/overview/overview.css">
</head>
<body>
<header><nav aria-label="Floatline"><a href="/">Dashboard</a> <a href="/presentation">Slides</a> <a href="/overview" aria-current="page">Overview</a> <a href="/graphql">GraphiQL</a> <a href="/docs">REST API</a></nav></header>
<main>
${marked.parse(markdown)}</main>
</body>
</html>
`;
}

export function build() {
  const html = renderOverview(readFileSync(SOURCE, 'utf8'));
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'index.html'), html);
  cpSync(join(ROOT, 'docs', 'overview-assets', 'overview.css'), join(OUT, 'overview.css'));
  return OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`build:overview: docs/overview.md → ${build()}`);
}
