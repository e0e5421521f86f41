// Review's "Check against Propexo" and "Changes" views (issues #12, #13), in headless Chromium
// over the built renderer with the real desktop service (test/e2e/harness; not Electron),
// against the practice simulator's seeded world. The file is built from that world, the same
// every time: three leads named by their PMS id (x_id) with their lead source by name, one
// x_id two leads share, one no lead has. Matched / not found / ambiguous shown, the right lead
// chosen from the candidates and typed into the row, then the changes, priced before they are
// read, under both filters. Screenshots of each state, light and dark, checked by axe.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practicePreset, startSimulator } from '../../app/simulator/index.ts';
import type { Item, SeedWorld } from '../../app/simulator/seed-data.ts';
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

interface Fixture {
  readonly csv: string;
  readonly integrationId: string;
  readonly unique: readonly Item[];
  readonly shared: readonly Item[];
  readonly sharedKey: string;
}

/** Rows 2–4: leads of their own x_id (row 2 as it is, rows 3–4 renamed); row 5: a shared x_id; row 6: an unknown one. */
function fixtureFrom(world: SeedWorld): Fixture {
  const integrationId = String(world.integrations[0]?.id);
  const leads = Array.from({ length: world.leadCount }, (_, i) => world.seededLead(i)).filter(
    (lead) => lead.integration_id === integrationId,
  );
  const byKey = new Map<string, number>();
  for (const lead of leads) byKey.set(String(lead.x_id), (byKey.get(String(lead.x_id)) ?? 0) + 1);
  const sourceName = (lead: Item): string => String(world.reference(String(lead.lead_source_id))?.name).trim();
  const uniqueName = (lead: Item): boolean =>
    world.leadSources.filter(
      (s) => s.property_id === lead.property_id && String(s.name).trim().toLowerCase() === sourceName(lead).toLowerCase(),
    ).length === 1;
  const unique = leads.filter((lead) => byKey.get(String(lead.x_id)) === 1 && uniqueName(lead)).slice(0, 3);
  const sharedKey = String(leads.find((lead) => byKey.get(String(lead.x_id)) === 2)?.x_id);
  const shared = leads.filter((lead) => String(lead.x_id) === sharedKey);
  const [a, b, c] = unique;
  const lines = [
    'Guest Card ID,First Name,Lead Source ID',
    `${String(a.x_id)},${String(a.first_name)},${sourceName(a)}`,
    `${String(b.x_id)},Renamed,${sourceName(b)}`,
    `${String(c.x_id)},Renamed,${sourceName(c)}`,
    `${sharedKey},Twin,`,
    'GC999999,Nobody,',
  ];
  return { csv: `${lines.join('\n')}\n`, integrationId, unique, shared, sharedKey };
}

const found = await browserForSuite();

describe.skipIf(!found.found)('Check against Propexo and Changes (e2e)', () => {
  let harness: Harness;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let work: string;
  let path: string;
  let f: Fixture;

  beforeAll(async () => {
    const connection = fastPractice({});
    // The world the service's practice simulator serves: same options, read without a request.
    const world = await startSimulator({ ...practicePreset, ...connection.simulator });
    try {
      f = fixtureFrom(world.world);
    } finally {
      await world.close();
    }
    expect(f.unique).toHaveLength(3);
    expect(f.shared).toHaveLength(2);
    work = await mkdtemp(join(tmpdir(), 'lead-importer-e2e-check-'));
    path = join(work, 'guest-cards.csv');
    await writeFile(path, f.csv);
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
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  const stat = (testId: string) => page.getByTestId(testId).locator('.stat-value').textContent();

  it('reviews the file: every row valid before it is checked against Propexo', async () => {
    harness.shell.openAnswers.push(path);
    await page.getByTestId('open-file').click();
    await page.locator('.map-table').waitFor();
    // "Guest Card ID" names leads by the PMS's id: looked up, never sent as Propexo's lead id.
    const matchBy = page.getByRole('combobox', { name: 'What column Guest Card ID names the lead by' });
    expect(await matchBy.inputValue()).toBe('x_id');
    // Another choice goes through the service's mapping and back.
    await matchBy.selectOption('email_1');
    await expect.poll(() => matchBy.inputValue()).toBe('email_1');
    await matchBy.selectOption('x_id');
    await expect.poll(() => matchBy.inputValue()).toBe('x_id');
    await screenshots(page, '13-map-lead-key');
    expectAccessible('13-map-lead-key');
    await page.getByTestId('to-review').click();
    await expect.poll(() => stat('count-rows'), { timeout: 20_000 }).toBe('5');
    expect(await stat('count-valid')).toBe('5');
    // The rows name their leads by the PMS's id: the first "Continue to send" shows the check first.
    await page.getByTestId('to-send').click();
    expect(await page.getByTestId('view-check').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('propexo-check').waitFor();
  });

  it('shows matched, not found and ambiguous rows, the candidates, and names resolved to ids', async () => {
    const integration = page.getByTestId('check-integration');
    await expect.poll(() => integration.isEnabled(), { timeout: 20_000 }).toBe(true);
    await integration.selectOption(f.integrationId);
    // Checked at once when the scope is chosen.
    await expect.poll(() => stat('check-matched'), { timeout: 20_000 }).toBe('3');
    expect(await stat('check-not-found')).toBe('1');
    expect(await stat('check-ambiguous')).toBe('1');
    expect(await page.getByTestId('check-strategy').textContent()).toMatch(
      /^Rows name their leads by source system id\. Asking per row .*request/,
    );

    const ambiguous = page.getByTestId('unmatched-5');
    expect(await ambiguous.textContent()).toContain(`source system id ${f.sharedKey}`);
    for (const lead of f.shared) expect(await ambiguous.textContent()).toContain(String(lead.id));
    expect(await page.getByTestId('unmatched-6').textContent()).toMatch(/Not found.*no lead with x_id "GC999999" in the scope/);
    const resolved = await page.getByTestId('check-resolved').textContent();
    for (const lead of f.unique) expect(resolved).toContain(`→ ${String(lead.lead_source_id)}`);
    await screenshots(page, '13-check-against-propexo');
    expectAccessible('13-check-against-propexo');
  });

  it('takes the right lead typed into the ambiguous row, and checks again', async () => {
    const right = f.shared[1];
    await page
      .getByRole('button', { name: `Use lead ${String(right.id)} (${String(right.first_name)} ${String(right.last_name)}) for row 5` })
      .click();
    expect(await page.getByTestId('fix-input-5').inputValue()).toBe(String(right.id));
    // From the keyboard: Enter in the box submits the fix.
    await page.getByTestId('fix-input-5').press('Enter');
    await expect.poll(() => stat('check-matched'), { timeout: 20_000 }).toBe('4');
    expect(await stat('check-ambiguous')).toBe('0');
    expect(await page.getByTestId('unmatched-5').count()).toBe(0);
    expect(await stat('count-edits')).toBe('1');
    expect(await page.locator('.foot-text').textContent()).toBe(
      '4 of 5 valid rows will be sent. 1 row matched no single lead in Practice: not sent unless fixed.',
    );
  });

  it('prices the current values before reading them, then shows what will change and what is already up to date', async () => {
    await page.getByTestId('view-changes').click();
    await expect
      .poll(() => page.getByTestId('changes-cost').textContent(), { timeout: 20_000 })
      .toMatch(/^Reading current values of 4 leads: 4 requests/);
    await screenshots(page, '13-changes-cost');
    expectAccessible('13-changes-cost');

    await page.getByTestId('changes-read').click();
    await expect
      .poll(() => page.getByTestId('changes-summary').textContent(), { timeout: 20_000 })
      .toBe('3 leads, 3 fields will change; 1 row is already up to date.');
    const table = page.getByTestId('changes-table');
    expect(await table.locator('tbody th[scope=row]').allTextContents()).toEqual(['3', '4', '5']);
    const renamed = await page.getByTestId('change-row-3').textContent();
    expect(renamed).toContain(String(f.unique[1].first_name));
    expect(renamed).toContain('Renamed');
    await screenshots(page, '13-changes-will-change');
    expectAccessible('13-changes-will-change');

    await page.getByTestId('changes-filter-up_to_date').click();
    await expect.poll(() => table.locator('tbody th[scope=row]').allTextContents()).toEqual(['2']);
    expect(await page.getByTestId('change-row-2').textContent()).toContain(String(f.unique[0].id));
    await screenshots(page, '13-changes-up-to-date');
    expectAccessible('13-changes-up-to-date');
    expect(app.problems.filter((p) => !expectedProblem(p))).toEqual([]);
  });
});
