import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Headers on every response: nothing loads from elsewhere, nothing frames the page, no referrer leaks the token. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const problem = (status: 401 | 403 | 415, message: string) =>
  new Response(JSON.stringify({ ok: false, message }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
  });

/**
 * The token, on every request (a query parameter for what a browser loads by URL: the page,
 * its assets, event streams; the `X-Cairn-Token` header for the rest). Actions must send it in
 * the header, as JSON, from this origin: a link or a form on another site can do neither.
 * The Host header must name this server, so a rebound DNS name cannot reach it.
 */
export function requireToken(token: string, port: () => number): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('x-cairn-token');
    const post = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const given = post ? header : (header ?? c.req.query('token'));
    if (!sameSecret(given, token))
      return problem(401, 'missing or wrong token: open the URL `cairn serve` printed');
    const hosts = [`127.0.0.1:${port()}`, `localhost:${port()}`];
    if (!hosts.includes(c.req.header('host') ?? '')) return problem(403, 'wrong Host header');
    if (post) {
      const origin = c.req.header('origin');
      if (origin !== undefined && !hosts.some((host) => origin === `http://${host}`)) {
        return problem(403, `cross-origin request from ${origin} refused`);
      }
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        return problem(403, 'cross-site request refused');
      }
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
        return problem(415, 'actions take application/json');
      }
    }
    await next();
  };
}
