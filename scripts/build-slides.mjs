#!/usr/bin/env node
// Builds the talk: slides/*.md → dist/slides/index.html, rendered with marked at build time
// (the browser gets plain HTML sections, no Markdown parser), plus the reveal.js files it
// needs and the deck's own theme and scripts. The server serves dist/slides/ under
// /presentation, so every asset is referenced with an absolute /presentation/... path.
//
// Slide Markdown conventions (the reveal.js ones, so the files read naturally):
//   a line `---` separates slides (outside fenced code blocks);
//   a line `Note:` starts the speaker notes of that slide;
//   `<!-- .slide: id="live" class="x" data-state="y" -->` sets attributes of the <section>.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'slides');
const OUT = join(ROOT, 'dist', 'slides');
const REVEAL = join(ROOT, 'node_modules', 'reveal.js', 'dist');
const BASE = '/presentation';

/** The reveal.js files the deck loads (copied, never fetched from a CDN). */
const REVEAL_FILES = ['reset.css', 'reveal.css', 'reveal.js', 'plugin/notes.js'];

const marked = new Marked({ gfm: true });
marked.use({
  renderer: {
    // Code blocks keep their language as a class and are escaped; no client-side highlighter.
    code({ text, lang }) {
      const language = (lang || '').trim().split(/\s+/)[0];
      const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
      const label = language && language !== 'text' ? ` data-lang="${escapeHtml(language)}"` : '';
      return `<pre${label}><code${cls}>${escapeHtml(text)}</code></pre>\n`;
    },
  },
});

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Splits one Markdown file into slide sources at `---` lines that are not inside a code fence. */
export function splitSlides(markdown) {
  const slides = [];
  let current = [];
  let fence = null;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const f = line.match(/^\s*(```+|~~~+)/);
    if (f) fence = fence === null ? f[1] : line.trim().startsWith(fence) ? null : fence;
    if (fence === null && /^---\s*$/.test(line)) {
      slides.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  slides.push(current.join('\n'));
  return slides.filter((s) => s.trim() !== '');
}

const ATTRIBUTE = /([a-zA-Z][\w-]*)="([^"]*)"/g;
const ALLOWED_ATTRIBUTE = /^(id|class|data-[\w-]+)$/;

/** Renders one slide source to a <section>, with its notes and attributes. */
export function renderSlide(source) {
  let attributes = '';
  const body = source.replace(/<!--\s*\.slide:\s*(.*?)\s*-->/s, (_, attrs) => {
    for (const [, name, value] of attrs.matchAll(ATTRIBUTE)) {
      if (!ALLOWED_ATTRIBUTE.test(name)) throw new Error(`slide attribute ${name} is not allowed`);
      attributes += ` ${name}="${escapeHtml(value)}"`;
    }
    return '';
  });
  const [content, ...notes] = body.split(/^Note:[ \t]*$/m);
  // The body wrapper carries the slide's padding: reveal's print layout zeroes a section's own.
  let html = `<div class="slide-body">\n${marked.parse(content.trim())}</div>\n`;
  if (notes.length) html += `<aside class="notes">${marked.parse(notes.join('\n').trim())}</aside>\n`;
  return `<section${attributes}>\n${html}</section>`;
}

function pageTemplate(title, sections) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${BASE}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${BASE}/reveal/reset.css">
<link rel="stylesheet" href="${BASE}/reveal/reveal.css">
<link rel="stylesheet" href="${BASE}/theme.css">
</head>
<body>
<div class="reveal">
<div class="slides">
${sections.join('\n')}
</div>
</div>
<script src="${BASE}/reveal/reveal.js"></script>
<script src="${BASE}/reveal/plugin/notes.js"></script>
<script src="${BASE}/live.js"></script>
<script src="${BASE}/deck.js"></script>
</body>
</html>
`;
}

/**
 * The speaker view (press S) is HTML that reveal's notes plugin writes into an about:blank
 * window with one inline <script>; that window inherits the deck's Content-Security-Policy
 * (script-src 'self'), which refuses inline script unless its hash is listed. The hash is
 * computed here from the plugin actually copied, and written to csp.json beside the HTML
 * for the server's deck policy (server/http/security-headers.ts). A reveal.js upgrade that
 * changes how the plugin writes the view fails the build here instead of silently
 * breaking the speaker view.
 */
export function speakerViewScriptHashes(notesPluginSource) {
  const start = notesPluginSource.indexOf('.document.write(`');
  const end = start < 0 ? -1 : notesPluginSource.indexOf('`)', start);
  const template = start < 0 || end < 0 ? '' : notesPluginSource.slice(start + '.document.write(`'.length, end);
  if (template === '' || template.includes('${')) {
    throw new Error(
      "build:slides: the speaker view was not found as a static template in reveal's plugin/notes.js; update speakerViewScriptHashes",
    );
  }
  const html = new Function(`return \`${template}\`;`)(); // the template's escapes, evaluated as the plugin does
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  if (scripts.length === 0) throw new Error('build:slides: no inline script in the speaker view; update speakerViewScriptHashes');
  return scripts.map((code) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`);
}

export function build() {
  const files = readdirSync(SRC)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort();
  if (files.length === 0) throw new Error(`no slides in ${SRC}`);
  const sections = files.flatMap((f) => splitSlides(readFileSync(join(SRC, f), 'utf8')).map(renderSlide));
  const title = readFileSync(join(SRC, files[0]), 'utf8').match(/^#\s+(.+)$/m)?.[1] ?? 'Floatline';

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'reveal', 'plugin'), { recursive: true });
  for (const f of REVEAL_FILES) cpSync(join(REVEAL, f), join(OUT, 'reveal', f));
  const assets = join(SRC, 'assets');
  if (existsSync(assets)) cpSync(assets, OUT, { recursive: true });
  writeFileSync(join(OUT, 'index.html'), pageTemplate(title, sections));
  const notesPlugin = readFileSync(join(OUT, 'reveal', 'plugin', 'notes.js'), 'utf8');
  writeFileSync(join(OUT, 'csp.json'), `${JSON.stringify({ scriptHashes: speakerViewScriptHashes(notesPlugin) }, null, 2)}\n`);
  return { slides: sections.length, files: files.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { slides, files } = build();
  console.log(`build:slides: ${slides} slides from ${files} files → ${OUT}`);
}
