// What a browser is shown when sign-in cannot go on (not set up here, the identity provider
// does not answer, a sign-in that expired): a short page in words with a way back, instead
// of the JSON an API client gets. Plain markup only: the site's CSP allows no inline style.
import type { FastifyReply, FastifyRequest } from 'fastify';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A browser navigating (Accept names text/html before JSON), not a script asking for JSON. */
export function wantsPage(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? '');
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

/**
 * Answers `status` with `{detail}` for API clients, and for browsers a page titled `title`
 * that says `detail` and links back to the dashboard (sign-in started from there).
 */
export function signInProblem(req: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string) {
  reply.code(status).header('cache-control', 'no-store');
  if (!wantsPage(req)) return reply.send({ detail });
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Floatline</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(detail)}</p>
<p><a href="/">Back to the Floatline dashboard</a></p>
</main>
</body>
</html>
`;
  return reply.type('text/html; charset=utf-8').send(page);
}
