// Cross-site request forgery guard. SameSite cookies do not separate ports, so a page served by
// any other local server (Jupyter, a dev server) at 127.0.0.1:<other port> is "same-site" and its
// requests carry the token cookie. Api calls, events and store bytes are therefore accepted only
// from this host's own origin: browsers say where a request comes from in `Origin` and
// `Sec-Fetch-Site`; when present they must name this origin. Clients that send neither (curl,
// scripts with a Bearer token) are not browsers driven by another page and pass.
import type { IncomingMessage } from 'node:http';

function one(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Why a request is refused as cross-origin, or null when it may proceed. */
export function crossOriginReason(req: IncomingMessage, ownOrigin: string): string | null {
  const origin = one(req, 'origin');
  if (origin !== undefined && origin !== ownOrigin) return `request from another origin (${origin})`;
  const site = one(req, 'sec-fetch-site');
  // `none` is a request the user made (typed URL, bookmark), not one a page made.
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `request from another site (Sec-Fetch-Site: ${site})`;
  }
  return null;
}

/**
 * Api bodies are JSON only: a cross-origin page cannot send that type without a CORS preflight.
 * A call with no body and no type (`curl -X POST` of a method without arguments) passes.
 */
export function isJsonBody(req: IncomingMessage): boolean {
  const type = one(req, 'content-type');
  if (type === undefined) {
    const length = one(req, 'content-length');
    return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  }
  return type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
