// Guards on every web contents the shell creates (attached from `web-contents-created`, so a
// window or frame made any other way is covered too): no navigation off the app, no new windows,
// no <webview>, no permission granted.
import type { Session, WebContents } from 'electron';
import { isAllowedExternal, isAppUrl } from './policy.ts';

export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** The app needs no permission (copying falls back to execCommand); every request is refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
