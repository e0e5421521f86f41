// Chromium driven by playwright-core, headless, with a fresh profile per launch: the renderer is
// proven here, not in Electron (whose runtime cannot be downloaded on our machines; see
// DEVELOPERS.md). Which Chromium: find-browser.ts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { axeCount, axeCounts } from './axe.ts';
import { bridgeScript } from './bridge-bundle.ts';
import { repoRoot } from './build-renderer.ts';
import type { BrowserLookup } from './find-browser.ts';
import type { Harness } from './server.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  /** What ran, for the test output: "HeadlessChrome/153.0.8010.0 (packaged: /…/chromium)". */
  readonly description: string;
  close(): Promise<void>;
}

type FoundBrowser = Extract<BrowserLookup, { found: true }>;

export async function launchBrowser(found: FoundBrowser, extraArgs: readonly string[] = []): Promise<Browser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'lead-importer-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: found.path,
    env: { ...process.env, ...found.env },
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  const probe = await context.newPage();
  const userAgent = String(await probe.evaluate('navigator.userAgent'));
  await probe.close();
  const product = /\b(?:Headless)?Chrome\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
  return {
    context,
    description: `${product} (${found.source}: ${found.path})`,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface AppPage {
  readonly page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen by the page. */
  readonly problems: string[];
}

/**
 * Opens the app from the harness, with `window.importer` injected before the app's script runs
 * (and any `initScripts`, such as the benchmark's performance observers).
 */
export async function openApp(browser: Browser, harness: Harness, initScripts: readonly string[] = []): Promise<AppPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript({ content: await bridgeScript() });
  for (const content of initScripts) await page.addInitScript({ content });
  await page.goto(harness.url);
  // The event stream is open: no event the test sends can be lost.
  await page.waitForFunction('window.__leadImporterHarness?.connected === true');
  return { page, problems };
}

export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let announced = false;

/** A screenshot of what the page shows now, in the light and the dark theme, each checked by axe-core (`axeCounts`). */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  await mkdir(screenshotDir, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`Screenshots: ${screenshotDir}`);
  }
  const paths: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Two frames: the theme's colours are applied and painted.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const path = join(screenshotDir, `${name}-${colorScheme}.png`);
    await page.screenshot({ path });
    paths.push(path);
    axeCounts.push(await axeCount(page, name, colorScheme));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return paths;
}
