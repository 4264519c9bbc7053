// Token check for the browser host. The token arrives once in the page URL; the first page load
// sets an HttpOnly cookie so the page's own later requests (assets, wasm, worker Range reads,
// EventSource) pass without carrying it.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenCookieName } from '../../shared/api.ts';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage, port: number): string | null {
  const name = tokenCookieName(port);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** 'query' when the URL carried the token (set the cookie), 'cookie'/'header' otherwise, null if refused. */
export function authenticate(
  req: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): 'query' | 'cookie' | 'header' | null {
  const q = url.searchParams.get('token');
  if (q !== null && sameToken(q, token)) return 'query';
  const c = cookieToken(req, port);
  if (c !== null && sameToken(c, token)) return 'cookie';
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ') && sameToken(h.slice(7), token)) return 'header';
  return null;
}

export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
