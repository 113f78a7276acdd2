// Serves the built dashboard at /, /config, /shares (teams and their shares), /costs and /tokens, the built deck at /presentation and the
// DevOps comparison page (docs/overview.md, built by scripts/build-overview.mjs) at /overview.
// Missing builds answer 503 with the command that makes them, never a blank page.
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT, projectPath } from './project-root.ts';

export const DIST = projectPath('dist/');
const CLIENT = `${DIST}client/`;
const SLIDES = `${DIST}slides/`;
const OVERVIEW = `${DIST}overview/`;

function missing(reply: FastifyReply, what: string, command: string) {
  return reply.code(503).type('text/plain; charset=utf-8').send(`${what} is not built. Run: ${command}\n`);
}

/** serveSourceMaps is false in production (NODE_ENV=production): *.map answers 404 even if a build left some. */
export async function registerStaticFiles(
  app: FastifyInstance,
  opts: { serveSourceMaps: boolean } = { serveSourceMaps: true },
): Promise<void> {
  if (!opts.serveSourceMaps) {
    app.addHook('onRequest', (req, reply, done) => {
      if (req.url.split('?')[0]!.endsWith('.map')) return void reply.code(404).send({ detail: 'Not Found' });
      done();
    });
  }
  await app.register(fastifyStatic, {
    // Every sendFile names its folder; root only has to exist.
    root: PROJECT_ROOT,
    serve: false,
    decorateReply: true,
    cacheControl: false,
  });
  const page = (dir: string, file: string, what: string, command: string) => (_req: unknown, reply: FastifyReply) =>
    existsSync(`${dir}${file}`) ? reply.header('cache-control', 'no-cache').sendFile(file, dir) : missing(reply, what, command);

  const dashboard = page(CLIENT, 'index.html', 'The dashboard', 'npm run build:client');
  app.get('/', { schema: { hide: true } }, dashboard);
  app.get('/config', { schema: { hide: true } }, dashboard);
  app.get('/shares', { schema: { hide: true } }, dashboard);
  app.get('/costs', { schema: { hide: true } }, dashboard);
  app.get('/tokens', { schema: { hide: true } }, dashboard);
  app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, (req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${req.params['*']}`, CLIENT),
  );
  for (const icon of ['favicon.svg', 'favicon.ico']) {
    app.get(`/${icon}`, { schema: { hide: true } }, (_req, reply) =>
      existsSync(`${CLIENT}${icon}`) ? reply.sendFile(icon, CLIENT) : reply.code(404).send({ detail: 'Not Found' }),
    );
  }

  const deck = page(SLIDES, 'index.html', 'The slide deck', 'npm run build:slides');
  app.get('/presentation', { schema: { hide: true } }, deck);
  app.get('/presentation/', { schema: { hide: true } }, deck);
  app.get<{ Params: { '*': string } }>('/presentation/*', { schema: { hide: true } }, (req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile(req.params['*'], SLIDES),
  );

  const overview = page(OVERVIEW, 'index.html', 'The overview page', 'npm run build:overview');
  app.get('/overview', { schema: { hide: true } }, overview);
  app.get('/overview/', { schema: { hide: true } }, overview);
  app.get<{ Params: { '*': string } }>('/overview/*', { schema: { hide: true } }, (req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile(req.params['*'], OVERVIEW),
  );
}
