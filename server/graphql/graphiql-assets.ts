// GraphiQL as a small HTML shell plus static, cacheable, precompressed files.
//
// @graphql-yoga/render-graphiql inlines ~9 MB of JS, CSS, Monaco workers and a favicon
// into the HTML on every GET /graphql from a browser, uncompressed: 100 clients that never
// read pinned 1.15 GB of RSS. Here the same assets (from the package's own build, no CDN)
// are served under a content-hashed URL with a one-year immutable cache, compressed once
// (gzip and brotli, off the event loop) and kept, never per request. The shell has no
// inline script: options travel in a data attribute and a small external boot file reads
// them, so GraphiQL works under a Content-Security-Policy of script-src 'self'. Monaco's
// workers are same-origin files too (not blob: URLs, which that policy would refuse).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as graphiql from '@graphql-yoga/render-graphiql/graphiql';

export const GRAPHIQL_ASSET_PREFIX = '/graphiql-assets';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

// Runs before graphiql.js: Monaco reads MonacoEnvironment when it starts its workers; the
// render call waits for DOMContentLoaded, by which time graphiql.js (a classic script) ran.
const BOOT = `(function () {
  var me = document.currentScript;
  var base = me.getAttribute('data-assets');
  var workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) { return base + (workers[label] || workers.editorWorkerService); },
  };
  document.addEventListener('DOMContentLoaded', function () {
    var root = document.getElementById('root');
    YogaGraphiQL.renderYogaGraphiQL(root, JSON.parse(root.getAttribute('data-options') || '{}'));
  });
})();
`;

interface Asset {
  type: string;
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const JS = 'text/javascript; charset=utf-8';
// text: the package's string (hashed as is, no copy); body: the bytes served.
const SOURCES: Record<string, { type: string; text: string; body: () => Buffer }> = {
  'boot.js': { type: JS, text: BOOT, body: () => Buffer.from(BOOT) },
  'graphiql.js': { type: JS, text: graphiql.js, body: () => Buffer.from(graphiql.js) },
  'graphiql.css': { type: 'text/css; charset=utf-8', text: graphiql.css, body: () => Buffer.from(graphiql.css) },
  'editor.worker.js': { type: JS, text: graphiql.editorWorkerService, body: () => Buffer.from(graphiql.editorWorkerService) },
  'json.worker.js': { type: JS, text: graphiql.jsonWorker, body: () => Buffer.from(graphiql.jsonWorker) },
  'graphql.worker.js': { type: JS, text: graphiql.graphqlWorker, body: () => Buffer.from(graphiql.graphqlWorker) },
  'favicon.ico': {
    type: 'image/x-icon',
    text: graphiql.favicon,
    body: () => Buffer.from(graphiql.favicon.slice(graphiql.favicon.indexOf(',') + 1), 'base64'),
  },
};

let version: string | undefined;
/** Content hash of every asset: a new package version or boot file gets new URLs. */
function assetVersion(): string {
  if (!version) {
    const h = createHash('sha256');
    for (const [name, s] of Object.entries(SOURCES)) h.update(name).update(s.text);
    version = h.digest('hex').slice(0, 16);
  }
  return version;
}

let assets: Promise<Map<string, Asset>> | undefined;
/** Built once, on the first asset request (not at start-up: most servers never show GraphiQL). */
function loadAssets(): Promise<Map<string, Asset>> {
  assets ??= (async () => {
    const map = new Map<string, Asset>();
    for (const [name, s] of Object.entries(SOURCES)) {
      const raw = s.body();
      // Once per process, so a higher brotli quality than per-request compression pays off.
      const [gz, br] = await Promise.all([
        gzipAsync(raw, { level: 6 }),
        brotliAsync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
      ]);
      map.set(name, { type: s.type, raw, gzip: gz, br });
    }
    return map;
  })();
  return assets;
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Yoga's renderGraphiQL option: the shell only (a few hundred bytes). */
export function renderGraphiQLShell(opts?: { title?: string } & Record<string, unknown>): string {
  const base = `${GRAPHIQL_ASSET_PREFIX}/${assetVersion()}/`;
  const title = escapeAttr(String(opts?.title ?? 'GraphiQL'));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${base}favicon.ico">
<link rel="stylesheet" href="${base}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root" data-options="${escapeAttr(JSON.stringify(opts ?? {}))}"></div>
<script src="${base}boot.js" data-assets="${base}"></script>
<script src="${base}graphiql.js"></script>
</body>
</html>
`;
}

/** br if the client takes it, else gzip, else none; q=0 means "not this one". */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of String(header ?? '')
    .toLowerCase()
    .split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    if (name) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

export function registerGraphiQLAssets(app: FastifyInstance): void {
  app.get<{ Params: { version: string; file: string } }>(
    `${GRAPHIQL_ASSET_PREFIX}/:version/:file`,
    { schema: { hide: true } },
    async (req: FastifyRequest<{ Params: { version: string; file: string } }>, reply: FastifyReply) => {
      const { file } = req.params;
      if (req.params.version !== assetVersion() || !(file in SOURCES)) return reply.code(404).send({ detail: 'Not Found' });
      const asset = (await loadAssets()).get(file)!;
      const encoding = pickEncoding(req.headers['accept-encoding']);
      const body = encoding && asset[encoding] ? asset[encoding] : asset.raw;
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('vary', 'Accept-Encoding');
      // Already compressed: @fastify/compress leaves answers with a Content-Encoding alone.
      if (body !== asset.raw) reply.header('content-encoding', encoding);
      return reply.send(body);
    },
  );
}
