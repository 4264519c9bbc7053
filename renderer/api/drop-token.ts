// The browser host's token arrives once in the page URL (`?token=`); the response that served the
// page already set the HttpOnly cookie, so the page drops the token from the address bar at once.
// A copied or shared view URL then carries the view, never the token (the recipient uses their own).

/** The same URL without `token`; null when there was none. */
export function withoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}${url.hash}`;
}

export function dropTokenFromAddressBar(win: Window = window): void {
  const next = withoutToken(win.location.href);
  if (next !== null) win.history.replaceState(win.history.state, '', next);
}
