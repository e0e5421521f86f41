// Notices as a user meets them: wait for one of a tone and text, then dismiss every notice (as a
// user would, and for clean screenshots). For test files only (it uses vitest's expect).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function dismissNotices(page: Page, tone: 'success' | 'error' | 'info', text: RegExp): Promise<void> {
  await expect.poll(async () => (await page.getByTestId(`notice-${tone}`).allTextContents()).join('\n'), { timeout: 15_000 }).toMatch(text);
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
}
