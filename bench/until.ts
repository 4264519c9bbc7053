// Waiting for what the user sees, checked at every animation frame. Playwright's locator waitFor
// re-checks on a back-off schedule (up to 500 ms apart), so a timed step ended at its next check,
// not when the rows were on screen: at 10M, Ctrl+End → last row read 0.95–1.03 s while the page had
// the row filled at 0.61–0.67 s (a MutationObserver's timestamps, `.tmp/probe-end.ts`).
import type { Page } from '@playwright/test';

/** A grid row whose cells hold values (no placeholders), by aria-rowindex (2 = the first row). */
export const filledRow = (grid: string, index: number) =>
  `[role="grid"][aria-label="${grid}"] [role="row"][aria-rowindex="${index}"] [role="gridcell"]:not(:has(.placeholder))`;

/** Resolves at the first frame on which an element matching `css` is rendered. */
export async function untilShown(page: Page, css: string, timeout = 300_000): Promise<void> {
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0),
    css,
    { polling: 'raf', timeout },
  );
}
