// The whole job without a pointer, in headless Chromium over the built renderer (harness: see
// README.md; not Electron). Only the keyboard: Tab, arrows, Enter, Escape, letters. Ctrl/Cmd+O
// and the export shortcuts are accelerators of main's File menu (main/menu.ts): in the app the
// menu turns the chord into a `menu:command` event, which the harness sends after the key press.
// After every step, focus is on an element (never <body>) and is drawn (:focus-visible).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, type AppPage, type Browser } from './harness/browser.ts';
import { buildRenderer } from './harness/build-renderer.ts';
import { browserForSuite } from './harness/find-browser.ts';
import { fastPractice } from './harness/practice.ts';
import { startHarness, type Harness } from './harness/server.ts';

const FAILING_LEAD = 'lead-004';

function leadFile(): string {
  const rows = ['Lead ID,First Name,Status,Cell'];
  for (let i = 1; i <= 12; i++)
    rows.push(`lead-${String(i).padStart(3, '0')},First${i},${i === 2 ? 'Actve' : 'ACTIVE'},(555) 010-${1000 + i}`);
  return `${rows.join('\n')}\n`;
}

interface Focus {
  readonly what: string;
  readonly visible: boolean;
}

/** What has focus: a short description, and whether it is drawn. Null when focus is lost (on <body>). */
async function focus(page: Page): Promise<Focus | null> {
  return (await page.evaluate(`(() => {
    const e = document.activeElement;
    if (e === null || e === document.body) return null;
    const name = e.getAttribute('aria-label') ?? e.getAttribute('data-testid') ?? (e.textContent ?? '').trim().slice(0, 60);
    const style = getComputedStyle(e);
    const drawn = e.matches(':focus-visible') && (style.outlineStyle !== 'none' || style.boxShadow !== 'none' || style.borderColor !== '');
    return { what: e.tagName.toLowerCase() + ' ' + name, visible: drawn };
  })()`)) as Focus | null;
}

async function expectFocusShown(page: Page): Promise<void> {
  await expect.poll(() => focus(page).then((f) => f?.visible ?? false), { message: 'focus is on an element and drawn' }).toBe(true);
}

/** Presses Tab until the focused element matches `selector` (a user reading the page in order). */
async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if ((await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) === true`)) === true) {
      await expectFocusShown(page);
      return;
    }
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${JSON.stringify(await focus(page))}`);
}

const found = await browserForSuite();

describe.skipIf(!found.found)('Lead Importer by keyboard alone (e2e)', () => {
  let harness: Harness;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let work: string;
  let fixture: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lead-importer-keyboard-'));
    fixture = join(work, 'keyboard-leads.csv');
    await writeFile(fixture, leadFile());
    harness = await startHarness(await buildRenderer(), { connection: fastPractice({ leadOutcomes: { [FAILING_LEAD]: 'FAILURE' } }) });
    if (!found.found) throw new Error(found.reason);
    browser = await launchBrowser(found);
    app = await openApp(browser, harness);
    page = app.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('opens a file with Ctrl/Cmd+O and with the drop zone’s button', async () => {
    await page.getByTestId('open-file').waitFor();
    // The menu's accelerator: cancelled in the dialog, nothing changes and focus stays.
    await page.keyboard.press('ControlOrMeta+O');
    harness.emit('menu:command', { command: 'open' });
    await tabTo(page, '[data-testid=open-file]');
    harness.shell.openAnswers.push(fixture);
    await page.keyboard.press('Enter');
    await page.locator('.map-table').waitFor();
    // The Start screen is gone with its button: focus went to the new screen's title.
    await expectFocusShown(page);
    expect((await focus(page))?.what).toMatch(/^h1 Map columns/);

    harness.shell.openAnswers.push(fixture);
    await page.keyboard.press('ControlOrMeta+O');
    harness.emit('menu:command', { command: 'open' });
    await expect.poll(() => harness.shell.openAnswers.length).toBe(0);
    await page.locator('.map-table').waitFor();
    await expectFocusShown(page);
  });

  it('maps a column by searching for what people call the field', async () => {
    await tabTo(page, 'button[aria-label^="Field for column Cell"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^input Search fields for column Cell/);
    await page.keyboard.type('second phone');
    await page.keyboard.press('Enter');
    // The popover closed: focus is back on the picker, which now says the label.
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^button Field for column Cell: Second phone \(phone_2\)/);
    await expectFocusShown(page);
    // Escape closes without choosing, focus back on the button.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^button Field for column Cell/);
    await expectFocusShown(page);
  });

  it('moves through the review grid with the arrows and fixes a cell', async () => {
    await tabTo(page, '[data-testid=to-review]');
    await page.keyboard.press('Enter');
    await page.getByTestId('review-grid').waitFor();
    await expectFocusShown(page);
    await tabTo(page, '[data-testid=review-grid] [role=grid]');
    // Row 1 of the grid is file row 2 (lead-001); lead-002's Status is the error.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    const active = await page.evaluate(
      "document.getElementById(document.activeElement.getAttribute('aria-activedescendant'))?.textContent",
    );
    expect(active).toBe('Actve');
    await page.keyboard.press('Enter');
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^input New value for Status, row 3/);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('ACTIVE');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        page
          .locator('[aria-live=polite]')
          .allTextContents()
          .then((t) => t.join(' ')),
      )
      .toMatch(/Row 3 is valid now/);
    await expect.poll(() => focus(page).then((f) => f?.what ?? '')).toMatch(/^div/);
    await expectFocusShown(page);
  });

  it('chooses Practice and sends', async () => {
    await tabTo(page, '[data-testid=to-send]');
    await page.keyboard.press('Enter');
    await page.getByTestId('env-practice').waitFor();
    await tabTo(page, 'input[name=environment]');
    // Arrows move through the radio group: Sandbox, Production.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('env-sandbox').isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('env-production').isChecked()).toBe(true);
    // A key typed and saved with Enter, then the page's confirmation: Escape closes it and
    // focus is back on the button that opened it.
    await tabTo(page, '[data-testid=api-key-input]');
    await page.keyboard.type('prd_keyboard_0123456789');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
    await tabTo(page, '[data-testid=start-run]');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^button Cancel/);
    await expectFocusShown(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => focus(page).then((f) => f?.what)).toMatch(/^button start-run/);
    await expectFocusShown(page);
    expect(harness.answered.get('run:start')).toBeUndefined();
    // Back to Practice.
    await tabTo(page, 'input[name=environment]', 'Shift+Tab');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByTestId('env-practice').isChecked()).toBe(true);
    await tabTo(page, '[data-testid=start-run]');
    await page.keyboard.press('Enter');
    await page.getByTestId('run-grid').waitFor();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('Finished');
    await expectFocusShown(page);
    expect(await page.getByRole('progressbar', { name: 'Rows done' }).getAttribute('aria-valuetext')).toMatch(/^12 of 12/);
  });

  it('filters the results, exports both files and opens History', async () => {
    await tabTo(page, '[data-testid=outcome-failed]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=run-grid] [role=row]:not(.grid-row--header):not([aria-busy])').count()).toBe(1);
    expect(await page.getByTestId('outcome-failed').getAttribute('aria-pressed')).toBe('true');

    const errors = join(work, 'keyboard-errors.csv');
    harness.shell.saveAnswers.push(errors);
    await tabTo(page, '[data-testid=export-run-errors]', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notice-success').count()).toBe(1);
    expect(await readFile(errors, 'utf8')).toContain(FAILING_LEAD);
    await expectFocusShown(page);

    // The notice is dismissed from the keyboard: focus goes back to where the user was before it
    // (the last element Tab passed), not to <body>.
    await tabTo(page, '.notices button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notice-success').count()).toBe(0);
    await expect.poll(() => focus(page).then((f) => f?.what ?? 'lost')).toMatch(/^div Rows of run/);
    await expectFocusShown(page);

    const results = join(work, 'keyboard-results.csv');
    harness.shell.saveAnswers.push(results);
    await page.keyboard.press('ControlOrMeta+Shift+E');
    harness.emit('menu:command', { command: 'exportResults' });
    await expect.poll(() => readFile(results, 'utf8').catch(() => '')).toMatch(/lead-012/);
    await expectFocusShown(page);

    await tabTo(page, '[data-testid=step-history]', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.history-table tbody tr').count()).toBe(1);
    await expectFocusShown(page);
  });

  it('ran without errors in the page', () => {
    expect(app.problems.filter((p) => !/frame-ancestors' is ignored/.test(p))).toEqual([]);
  });
});
