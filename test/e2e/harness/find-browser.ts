// Which browser the e2e tests and the UI benchmark drive. In order: LEAD_IMPORTER_CHROMIUM when
// set, else a Chromium or Chrome installed on the system, else the Chromium that the
// @sparticuz/chromium devDependency ships inside its npm package (Linux x64 only), unpacked
// once into node_modules/.cache. Nothing is downloaded at run time. Where none is found the
// suites are skipped with the reason, never passed.
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withDirLock } from '../../support/dir-lock.ts';
import { repoRoot } from './build-renderer.ts';

const run = promisify(execFile);

export type BrowserSource = 'LEAD_IMPORTER_CHROMIUM' | 'system' | 'packaged';

export type BrowserLookup =
  | {
      readonly found: true;
      readonly path: string;
      readonly source: BrowserSource;
      /** Environment this browser needs. (None of the package's recommended flags is used: some, such as --disable-web-security, would hide what the tests check.) */
      readonly env: Readonly<Record<string, string>>;
    }
  | { readonly found: false; readonly reason: string };

/** Where Chromium and Chrome install themselves, per platform, most likely first. */
export const SYSTEM_BROWSERS: Readonly<Partial<Record<NodeJS.Platform, readonly string[]>>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

export interface BrowserLookupDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly isExecutable: (path: string) => boolean;
  /** Unpacks the packaged Chromium (once) and gives its path and the environment it needs. */
  readonly unpackPackaged: () => Promise<{ readonly path: string; readonly env: Readonly<Record<string, string>> }>;
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findBrowser(deps: BrowserLookupDeps): Promise<BrowserLookup> {
  const chosen = deps.env.LEAD_IMPORTER_CHROMIUM;
  if (chosen !== undefined && chosen !== '') {
    // An explicit choice that does not work is a mistake to fix, not a reason to skip.
    if (!deps.isExecutable(chosen)) throw new Error(`LEAD_IMPORTER_CHROMIUM is set to ${chosen}, which is not an executable file`);
    return { found: true, path: chosen, source: 'LEAD_IMPORTER_CHROMIUM', env: {} };
  }
  const system = (SYSTEM_BROWSERS[deps.platform] ?? []).find((path) => deps.isExecutable(path));
  if (system !== undefined) return { found: true, path: system, source: 'system', env: {} };
  if (deps.platform === 'linux' && deps.arch === 'x64') {
    const packaged = await deps.unpackPackaged();
    return { found: true, path: packaged.path, source: 'packaged', env: packaged.env };
  }
  const looked = (SYSTEM_BROWSERS[deps.platform] ?? []).join(', ') || 'nowhere on this platform';
  return {
    found: false,
    reason:
      `no Chromium or Chrome found (looked at ${looked}; the Chromium packaged with @sparticuz/chromium runs on Linux x64 only, ` +
      `this is ${deps.platform} ${deps.arch}): set LEAD_IMPORTER_CHROMIUM to a Chromium or Chrome executable to run these tests`,
  };
}

/**
 * The package's fonts.conf names /tmp/fonts (where it would have unpacked them); without fonts
 * the browser aborts at the first text. Ours names the unpacked fonts, after the system's own.
 */
function fontConfig(target: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${join(target, 'fonts', 'fonts')}</dir>`,
    `  <cachedir>${join(target, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

const PACKAGED_CACHE = join(repoRoot, 'node_modules', '.cache', 'lead-importer');

/**
 * Unpacks @sparticuz/chromium into node_modules/.cache/lead-importer/chromium-VERSION. The
 * package unpacks into the temporary folder, so it runs in a child process whose TMPDIR is a
 * fresh staging folder, renamed into place once complete: a killed unpack never leaves a
 * half-written browser behind, and nothing is shared with other users through /tmp.
 */
export async function unpackPackagedChromium(): Promise<{ readonly path: string; readonly env: Readonly<Record<string, string>> }> {
  // The package's exports hide its package.json: it is read where npm put it.
  const manifest = join(repoRoot, 'node_modules', '@sparticuz', 'chromium', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const target = join(PACKAGED_CACHE, `chromium-${version}`);
  const located = (): { path: string; env: Record<string, string> } => ({
    path: join(target, 'chromium'),
    env: { FONTCONFIG_PATH: join(target, 'fonts') },
  });
  if (isExecutableFile(join(target, 'chromium'))) return located();
  return withDirLock(`${target}.lock`, { staleMs: 5 * 60_000, waitMs: 5 * 60_000 }, async () => {
    if (isExecutableFile(join(target, 'chromium'))) return located();
    const staging = await mkdtemp(`${target}.partial-`);
    try {
      const script = "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
        timeout: 120_000,
      });
      if (stdout !== join(staging, 'chromium') || !isExecutableFile(stdout))
        throw new Error(`@sparticuz/chromium unpacked to ${stdout}, not into ${staging}`);
      await writeFile(join(staging, 'fonts', 'fonts.conf'), fontConfig(target));
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    return located();
  });
}

let lookup: Promise<BrowserLookup> | undefined;

/** The browser of this machine (looked up once per process). */
export function browserOfThisMachine(): Promise<BrowserLookup> {
  lookup ??= findBrowser({
    env: process.env,
    platform: process.platform,
    arch: process.arch,
    isExecutable: isExecutableFile,
    unpackPackaged: unpackPackagedChromium,
  });
  return lookup;
}

/** The browser for an e2e test file; where there is none, the file says why it is skipped. */
export async function browserForSuite(): Promise<BrowserLookup> {
  const found = await browserOfThisMachine();
  if (!found.found) console.warn(`e2e skipped: ${found.reason}`);
  return found;
}
