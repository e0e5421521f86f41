// axe-core over what the page shows, in the light and the dark theme, at the points where the
// flow takes its screenshots. Its source is evaluated in the page (page.evaluate is not subject
// to the page's CSP, a <script> tag would be). Counts are kept per screen for the report.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

export type Theme = 'light' | 'dark';

export interface AxeCount {
  readonly screen: string;
  readonly theme: Theme;
  /** Nodes with a serious or critical violation. */
  readonly seriousOrCritical: number;
  /** Nodes with a minor or moderate violation. */
  readonly other: number;
  /** "rule (impact): selector", for the message when a check fails. */
  readonly findings: readonly string[];
}

const severe = (impact: ImpactValue | undefined): boolean => impact === 'serious' || impact === 'critical';

/** Runs axe-core on the page as it is now (theme already applied). */
export async function axeCount(page: Page, screen: string, theme: Theme): Promise<AxeCount> {
  axeSource ??= readFile(axePath, 'utf8');
  const injected = await page.evaluate('typeof window.axe === "object"');
  if (injected !== true) await page.evaluate(await axeSource);
  const results = (await page.evaluate(
    "window.axe.run(document, { resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })",
  )) as AxeResults;
  let seriousOrCritical = 0;
  let other = 0;
  const findings: string[] = [];
  for (const violation of results.violations) {
    const nodes = violation.nodes.length;
    if (severe(violation.impact)) seriousOrCritical += nodes;
    else other += nodes;
    for (const node of violation.nodes.slice(0, 3))
      findings.push(
        `${violation.id} (${violation.impact ?? 'unknown'}): ${node.target.join(' ')}: ${node.any[0]?.message ?? violation.help}`,
      );
  }
  return { screen, theme, seriousOrCritical, other, findings };
}

/** Every count taken in this test file, in order. */
export const axeCounts: AxeCount[] = [];
