// "Undo this run" in History (#13), in headless Chromium over the built renderer with the real
// desktop service (test/e2e/harness; not Electron). A small file goes to practice; History
// plans its undo (counts, the field changed since the import, "write over them anyway" asking
// again), the undo runs and finishes like any run, a field changed while it ran (someone
// else's PUT between the undo's first read and its re-read of that lead) is named on its run
// screen as left alone, and the list links the two runs both ways. Screenshots light and dark,
// checked by axe.
//
// The run's before-values are journaled by the run itself (it reads each lead first, the
// default); a twin of the service's practice simulator (same seed) names the same leads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPracticeSimulator } from '../../app/run/run-context.ts';
import type { Simulator } from '../../app/simulator/index.ts';
import { axeCounts } from './harness/axe.ts';
import { launchBrowser, openApp, screenshots, type AppPage, type Browser } from './harness/browser.ts';
import { buildRenderer } from './harness/build-renderer.ts';
import { browserForSuite } from './harness/find-browser.ts';
import { fastPractice } from './harness/practice.ts';
import { startHarness, type Harness } from './harness/server.ts';

const expectedProblem = (line: string): boolean => /frame-ancestors' is ignored when delivered via a <meta> element/.test(line);

function expectAccessible(screen: string): void {
  const counts = axeCounts.filter((c) => c.screen === screen);
  expect(counts.map((c) => c.theme)).toEqual(['light', 'dark']);
  expect(counts.flatMap((c) => (c.seriousOrCritical > 0 ? c.findings.map((f) => `${c.theme}: ${f}`) : []))).toEqual([]);
}

const found = await browserForSuite();

/**
 * The service's requests, passed on; once armed with a lead, its second read from then on (the
 * undo's re-read right before its write-back: the first is the undo's start read) waits until
 * someone else has changed that lead's first name through the API.
 */
function changingFetch(): { readonly fetch: typeof fetch; arm(leadId: string, firstName: string): void; readonly done: boolean } {
  let armed: { readonly leadId: string; readonly firstName: string; reads: number } | null = null;
  let done = false;
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (armed !== null && method === 'GET' && url.pathname === `/v1/leads/${armed.leadId}` && ++armed.reads === 2) {
      const { leadId, firstName } = armed;
      armed = null;
      const headers = { ...(init?.headers as Record<string, string>), 'content-type': 'application/json' };
      const lead = new URL(`/v1/leads/${leadId}`, url);
      expect((await fetch(lead, { method: 'PUT', headers, body: JSON.stringify({ first_name: firstName }) })).status).toBe(200);
      // Its job applies it a moment later.
      await expect
        .poll(async () => JSON.stringify(await (await fetch(lead, { headers })).json()), { timeout: 10_000 })
        .toContain(firstName);
      done = true;
    }
    return fetch(input, init);
  };
  return {
    fetch: wrapped,
    arm: (leadId, firstName) => {
      armed = { leadId, firstName, reads: 0 };
    },
    get done() {
      return done;
    },
  };
}

describe.skipIf(!found.found)('Undo a run from History (e2e)', () => {
  let harness: Harness;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let work: string;
  let path: string;
  let twin: Simulator;
  let leads: string[];
  let runId: string;
  let undoId: string;
  const someoneElse = changingFetch();

  beforeAll(async () => {
    const connection = { ...fastPractice({}), fetch: someoneElse.fetch };
    twin = await startPracticeSimulator(connection.simulator);
    leads = [0, 1, 2].map((i) => twin.world.leadIdAt(i));
    work = await mkdtemp(join(tmpdir(), 'lead-importer-e2e-undo-'));
    path = join(work, 'undo-leads.csv');
    await writeFile(path, `Lead ID,First Name\n${leads.map((id, i) => `${id},Undo${i + 2}`).join('\n')}\n`);
    const dir = await buildRenderer();
    harness = await startHarness(dir, { connection });
    if (!found.found) throw new Error(found.reason);
    browser = await launchBrowser(found);
    app = await openApp(browser, harness);
    page = app.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await twin?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('sends a small file to practice', async () => {
    harness.shell.openAnswers.push(path);
    await page.getByTestId('open-file').click();
    await page.locator('.map-table').waitFor();
    await page.getByTestId('to-review').click();
    await expect.poll(() => page.getByTestId('count-valid').locator('.stat-value').textContent(), { timeout: 20_000 }).toBe('3');
    await page.getByTestId('to-send').click();
    await page.getByTestId('env-practice').check();
    await page.getByTestId('start-run').click();
    await page.getByTestId('run-grid').waitFor();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('Finished');
    const runs = await harness.service.handlers['runs:list'](undefined);
    expect(runs).toHaveLength(1);
    runId = runs[0].runId;
  });

  it('plans the undo in History: counts, the field changed since, and "write over them anyway" asks again', async () => {
    // Another import changes one of the leads after the run (the service keeps one practice
    // simulator across runs): sent through the service, as the page would.
    const other = join(work, 'later-change.csv');
    await writeFile(other, `Lead ID,First Name\n${leads[1]},Someone\n`);
    const opened = await harness.service.handlers['import:open']({ path: other, options: {} });
    await harness.service.handlers['import:validate']({ importId: opened.importId });
    const later = await harness.service.handlers['run:start']({
      importId: opened.importId,
      environment: 'practice',
      concurrency: 2,
      rate: 600,
    });
    await expect
      .poll(async () => (await harness.service.handlers['runs:list'](undefined)).find((r) => r.runId === later.runId)?.state, {
        timeout: 30_000,
      })
      .toBe('finished');

    await page.getByTestId('step-history').click();
    // The later run ended out of sight: its notice names its file, not its run id.
    await expect
      .poll(() => page.locator('.notice-text').allTextContents(), { timeout: 10_000 })
      .toContain('Run of later-change.csv finished: 1 row succeeded.');
    await page.getByTestId(`undo-${runId}`).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('undo-plan-summary').textContent()).toMatch(
      /Writes back, in Practice, the values 2 leads had before this run: 2 fields restored\./,
    );
    expect(await dialog.textContent()).toContain('1 field changed since the import: left alone.');
    const changed = dialog.getByRole('table', { name: 'Fields the undo does not simply write back' });
    expect(await changed.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^3First name${leads[1]}.+ → Undo3 → SomeoneLeft alone$`)),
    ]);
    await screenshots(page, '6-history-undo-confirm');
    expectAccessible('6-history-undo-confirm');

    // Writing over it asks a second time; going back and cancelling sends nothing.
    await page.getByTestId('undo-force').check();
    await dialog.getByRole('button', { name: 'Undo this run' }).click();
    const again = page.getByRole('dialog', { name: 'Write over changes made since the import?' });
    await again.waitFor();
    expect(await again.textContent()).toMatch(/1 field was changed in Practice after the run of undo-leads\.csv wrote it\./);
    await screenshots(page, '6-history-undo-force');
    expectAccessible('6-history-undo-force');
    await again.getByRole('button', { name: 'Go back' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(harness.answered.get('run:undo')).toBeUndefined();
  });

  it('undoes the run: a run of its own that finishes, the later changes left alone and named, linked both ways in History', async () => {
    await page.getByTestId(`undo-${runId}`).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Confirmed with leads[0] to write back; someone changes it while the undo runs.
    someoneElse.arm(leads[0], 'Meanwhile');
    await dialog.getByRole('button', { name: 'Undo this run' }).click();
    await page.getByTestId('run-grid').waitFor();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('Finished');
    expect(someoneElse.done).toBe(true);
    const runs = await harness.service.handlers['runs:list'](undefined);
    const undo = runs.find((r) => r.undoOf === runId);
    // leads[0] had nothing else to write back: unchanged, nothing sent to it.
    expect(undo).toMatchObject({
      rows: 2,
      outcomes: expect.objectContaining({ succeeded: 1, unchanged: 1 }) as unknown as Record<string, number>,
    });
    undoId = undo?.runId ?? '';
    const foundMeanwhile = page.getByTestId('undo-found');
    await foundMeanwhile.waitFor();
    expect(await foundMeanwhile.locator('.undo-found-line').textContent()).toBe(
      '1 field was changed by someone else while the undo ran and was left as it is:',
    );
    expect(await foundMeanwhile.locator('li').allTextContents()).toEqual([
      `Lead ${leads[0]} (row 2) — First name: now “Meanwhile” (the import wrote “Undo2”; before it, “${String(twin.lead(leads[0])?.first_name)}”)`,
    ]);
    // Its row says why, not "Already up to date": left as it is, the field someone else changed named.
    const leftRow = page.locator('[data-testid=run-grid] [role=row]:not(.grid-row--header):not([aria-busy])', { hasText: leads[0] });
    await expect.poll(() => leftRow.locator('[aria-colindex="3"]').textContent()).toBe('Left as it is');
    expect(await leftRow.locator('[aria-colindex="5"]').textContent()).toBe(
      'Left as it is — changed by someone else since the import: First name',
    );
    // So do its counts: the tile of rows not written back says they were left as they are.
    expect(await page.getByTestId('outcome-unchanged').textContent()).toMatch(/left as it is/i);
    await screenshots(page, '6-undo-run-finished');
    expectAccessible('6-undo-run-finished');
    // Planning again: the restored lead is as before the run, both changes still there.
    expect(await harness.service.handlers['run:undoPlan']({ runId })).toMatchObject({ leadsToWrite: 0, notApplied: 1, changedSince: 2 });

    await page.getByTestId('step-history').click();
    await page.getByTestId(`link-${undoId}-${runId}`).waitFor();
    expect(await page.getByTestId(`history-${undoId}`).textContent()).toMatch(/Undo of the run of/);
    expect(await page.getByTestId(`history-${runId}`).textContent()).toMatch(/Undone by the run of/);
    await page.getByTestId(`link-${undoId}-${runId}`).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe(`run-${runId}`);
    await screenshots(page, '6-history-undo-links');
    expectAccessible('6-history-undo-links');
    expect(app.problems.filter((p) => !expectedProblem(p))).toEqual([]);
  });
});
