// Electron's native Save dialog for exports: proposes the export's name in Downloads, filtered to
// its format, so the host writes exactly where the user chose (and nowhere a page could name).
import path from 'node:path';
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  parquet: { name: 'Parquet', extensions: ['parquet'] },
  json: { name: 'JSON', extensions: ['json'] },
};

export async function pickSavePath(suggestedName: string): Promise<string | null> {
  const ext = path.extname(suggestedName).slice(1).toLowerCase();
  const filter = FILTERS[ext];
  const options: SaveDialogOptions = {
    title: 'Export',
    defaultPath: path.join(app.getPath('downloads'), path.basename(suggestedName)),
    filters: filter ? [filter] : [],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const win = BrowserWindow.getFocusedWindow();
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}
