// What the Electron shell lets the page reach: its own origin (`losslens://app`) and, in the
// user's browser, a short list of documentation sites. Plain functions, tested without Electron.
import { ELECTRON_SCHEME } from '../../shared/channels.ts';

export const APP_URL = `${ELECTRON_SCHEME}://app/index.html`;

/** Documentation a link in the app may open in the user's browser (https only, exact host). */
export const EXTERNAL_DOC_HOSTS: readonly string[] = ['duckdb.org'];

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Whether a URL is the app's own page or bytes (`losslens://app/...`). */
export function isAppUrl(raw: string): boolean {
  const url = parse(raw);
  return url !== null && url.protocol === `${ELECTRON_SCHEME}:` && url.host === 'app';
}

/** Whether a link may go to `shell.openExternal`: https, a listed host, no credentials or port. */
export function isAllowedExternal(raw: string): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    EXTERNAL_DOC_HOSTS.includes(url.hostname)
  );
}
