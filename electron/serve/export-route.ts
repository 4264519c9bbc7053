// `GET /export/<exportId>/<fileName>`: a finished export as a download. Behind the same token and
// Host checks as every route (server.ts runs them first); only files the host's export jobs wrote
// are served, by id and exact name, never a path from the URL.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_ROUTES } from '../../shared/channels.ts';
import type { Host } from '../host/host.ts';
import { sendFile } from './files.ts';
import { SECURITY_HEADERS } from './headers.ts';

/** RFC 6266 filename: an ASCII fallback plus the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function sendExport(req: IncomingMessage, res: ServerResponse, host: Host, pathname: string) {
  const [id = '', encoded = '', ...rest] = pathname.slice(HTTP_ROUTES.exports.length).split('/');
  let name: string | null = null;
  try {
    name = rest.length ? null : decodeURIComponent(encoded);
  } catch {
    name = null;
  }
  const file = name ? host.resolveExportFile(id, name) : null;
  if (!file || !name) {
    res.writeHead(404, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    res.end(
      JSON.stringify({ error: { code: 'not-found', message: 'no such export (the newest three are kept)' } }),
    );
    return;
  }
  await sendFile(req, res, file, {
    ...SECURITY_HEADERS,
    'Cache-Control': 'no-store',
    'Content-Disposition': attachment(name),
  });
}
