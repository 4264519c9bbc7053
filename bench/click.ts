// A user's click at an element's centre, the element found before the clock starts: the figure is
// the app's, not Playwright's (finding a control by role and waiting until it is stable took
// 20–60 ms of every timed click on a large page).
import type { Locator } from '@playwright/test';

export async function clickLater(loc: Locator): Promise<() => Promise<void>> {
  await loc.scrollIntoViewIfNeeded();
  const box = await loc.boundingBox();
  if (!box) throw new Error('the control to click is not visible');
  const page = loc.page();
  return () => page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
