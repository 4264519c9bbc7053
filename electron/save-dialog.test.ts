// The export Save dialog with Electron mocked (no Electron binary here): what it proposes, and
// that a cancel is no path.
import { beforeEach, expect, it, vi } from 'vitest';

const showSaveDialog = vi.fn();
vi.mock('electron', () => ({
  app: { getPath: (name: string) => `/home/u/${name}` },
  BrowserWindow: { getFocusedWindow: () => null },
  dialog: { showSaveDialog },
}));

const { pickSavePath } = await import('./save-dialog.ts');

beforeEach(() => showSaveDialog.mockReset());

it("proposes the export's name in Downloads, filtered to its format, and returns the chosen path", async () => {
  showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/data/round2/best.json' });
  expect(await pickSavePath('store-best.json')).toBe('/data/round2/best.json');
  expect(showSaveDialog).toHaveBeenCalledWith(
    expect.objectContaining({
      defaultPath: '/home/u/downloads/store-best.json',
      filters: [{ name: 'JSON', extensions: ['json'] }],
    }),
  );
});

it('returns null when the user cancels', async () => {
  showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
  expect(await pickSavePath('store-rows.parquet')).toBeNull();
  expect(showSaveDialog.mock.calls[0]?.[0].filters).toEqual([{ name: 'Parquet', extensions: ['parquet'] }]);
});
