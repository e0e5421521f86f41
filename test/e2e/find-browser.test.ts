// Which browser the e2e suites drive, in order: LEAD_IMPORTER_CHROMIUM, a system Chromium or
// Chrome, the Chromium packaged in @sparticuz/chromium (Linux x64), else skip with the reason.
import { describe, expect, it } from 'vitest';
import { findBrowser, SYSTEM_BROWSERS, type BrowserLookupDeps } from './harness/find-browser.ts';

function deps(overrides: Partial<BrowserLookupDeps> & { executables?: readonly string[] }): BrowserLookupDeps & { unpacked: number } {
  const executables = new Set(overrides.executables ?? []);
  const state = {
    env: {},
    platform: 'linux' as NodeJS.Platform,
    arch: 'x64',
    isExecutable: (path: string) => executables.has(path),
    unpacked: 0,
    unpackPackaged() {
      state.unpacked++;
      return Promise.resolve({ path: '/cache/chromium-153/chromium', env: { FONTCONFIG_PATH: '/cache/chromium-153/fonts' } });
    },
    ...overrides,
  };
  return state;
}

describe('findBrowser', () => {
  it('takes LEAD_IMPORTER_CHROMIUM first, even with a system browser present', async () => {
    const d = deps({ env: { LEAD_IMPORTER_CHROMIUM: '/opt/my/chrome' }, executables: ['/opt/my/chrome', '/usr/bin/chromium'] });
    expect(await findBrowser(d)).toEqual({ found: true, path: '/opt/my/chrome', source: 'LEAD_IMPORTER_CHROMIUM', env: {} });
    expect(d.unpacked).toBe(0);
  });

  it('refuses a LEAD_IMPORTER_CHROMIUM that is not an executable (a mistake, not a reason to skip)', async () => {
    await expect(findBrowser(deps({ env: { LEAD_IMPORTER_CHROMIUM: '/nope' } }))).rejects.toThrow('LEAD_IMPORTER_CHROMIUM is set to /nope');
  });

  it("takes Debian's chromium when it is installed, without unpacking the packaged one", async () => {
    const d = deps({ executables: ['/usr/bin/chromium'] });
    expect(await findBrowser(d)).toMatchObject({ found: true, path: '/usr/bin/chromium', source: 'system' });
    expect(d.unpacked).toBe(0);
  });

  it('takes Chrome on macOS', async () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(await findBrowser(deps({ platform: 'darwin', arch: 'arm64', executables: [chrome] }))).toMatchObject({
      found: true,
      path: chrome,
      source: 'system',
    });
  });

  it('unpacks the packaged Chromium on Linux x64 with no system browser', async () => {
    const d = deps({});
    expect(await findBrowser(d)).toEqual({
      found: true,
      path: '/cache/chromium-153/chromium',
      source: 'packaged',
      env: { FONTCONFIG_PATH: '/cache/chromium-153/fonts' },
    });
    expect(d.unpacked).toBe(1);
  });

  it('finds nothing elsewhere, and says where it looked and what to set', async () => {
    const result = await findBrowser(deps({ platform: 'linux', arch: 'arm64' }));
    expect(result.found).toBe(false);
    if (result.found) return;
    expect(result.reason).toContain('LEAD_IMPORTER_CHROMIUM');
    expect(result.reason).toContain(SYSTEM_BROWSERS.linux?.[0]);
    expect(result.reason).toContain('linux arm64');
  });
});
