// A request's URL as it may be logged: secrets in the query string are replaced. Clients
// put credentials there (`?access_token=` for an EventSource that cannot send headers,
// the sign-in callback's `code` and `state`), and a log line outlives the credential's
// owner's intent. Names are matched loosely on purpose: a false positive costs a log
// reader one value, a miss leaks a credential.
const SECRET_PARAM = /token|code|state|secret|session|password|passwd|cookie|auth|key|signature|sig$/i;
/** Floatline's own token format, wherever in the URL it appears. */
const TOKEN_TEXT = /flt_[A-Za-z0-9_-]+/g;

export const REDACTED = '[redacted]';

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(TOKEN_TEXT, REDACTED);
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair.replace(TOKEN_TEXT, REDACTED);
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* a malformed name is compared as sent */
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair.replace(TOKEN_TEXT, REDACTED);
    })
    .join('&');
  return `${path}?${query}`;
}
