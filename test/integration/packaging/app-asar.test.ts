// Packs electron-builder.yml for real, as `npm run dist` would, but with the `dir` target
// (Linux x64) and a stand-in Electron (support/stand-in-electron.ts): the Electron runtime
// cannot be downloaded here, so nothing in this file ran in Electron. It proves what goes into
// app.asar and what electron-builder writes into the binary's fuse wire.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePaths } from '../../../main/bundle.ts';
import { AsarArchive, referencedAssets, resolveInArchive, runtimeImports } from './support/asar-archive.ts';
import { readBuilderConfig, readPackageJson, pinnedElectronVersion } from './support/builder-config.ts';
import { ensureBuilt, ROOT } from './support/built-app.ts';
import { createStandInElectron, DEFAULT_FUSES } from './support/stand-in-electron.ts';

const run = promisify(execFile);
const pkg = readPackageJson();
const ELECTRON_VERSION = pinnedElectronVersion(pkg);
const EXECUTABLE = 'lead-importer';

/** What the issue asks of the fuses, by electron-builder option and @electron/fuses index. */
const REQUIRED_FUSES = [
  ['runAsNode', FuseV1Options.RunAsNode, false],
  ['enableNodeOptionsEnvironmentVariable', FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
  ['enableNodeCliInspectArguments', FuseV1Options.EnableNodeCliInspectArguments, false],
  ['enableCookieEncryption', FuseV1Options.EnableCookieEncryption, true],
  ['enableEmbeddedAsarIntegrityValidation', FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
  ['onlyLoadAppFromAsar', FuseV1Options.OnlyLoadAppFromAsar, true],
  // The page comes from app:// (main/app-protocol.ts): file:// gets no extra privileges.
  ['grantFileProtocolExtraPrivileges', FuseV1Options.GrantFileProtocolExtraPrivileges, false],
] as const;

/**
 * electron-builder must not need the network: Electron comes from electronDist, and the `dir`
 * target needs no tool downloads. Any attempt would go to a closed port on this machine and
 * fail the build (mirrors and proxies point there, caches are empty), and the update check of
 * its CLI (a registry request) is off.
 */
function offlineEnv(work: string): NodeJS.ProcessEnv {
  const nowhere = 'http://127.0.0.1:9/';
  // electron-builder keeps quiet under VITEST; its log is part of what the test reads.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  return {
    ...inherited,
    NO_UPDATE_NOTIFIER: '1',
    ELECTRON_CACHE: join(work, 'cache', 'electron'),
    ELECTRON_BUILDER_CACHE: join(work, 'cache', 'electron-builder'),
    ELECTRON_MIRROR: nowhere,
    ELECTRON_BUILDER_BINARIES_MIRROR: nowhere,
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  };
}

function electronBuilderCli(): string {
  return createRequire(import.meta.url).resolve('electron-builder/cli.js');
}

let work = '';
let appOutDir = '';
let archive: AsarArchive;
let builderLog = '';

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'lead-importer-pack-'));
  const electron = createStandInElectron(join(work, 'electron-dist'), ELECTRON_VERSION);
  const output = join(work, 'dist');
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        electronBuilderCli(),
        '--dir',
        '--linux',
        '--x64',
        '--publish',
        'never',
        `-c.electronDist=${electron.dir}`,
        `-c.electronVersion=${ELECTRON_VERSION}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: ROOT, env: offlineEnv(work), timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
    );
    builderLog = `${stdout}${stderr}`;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`electron-builder --dir failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  appOutDir = join(output, 'linux-unpacked');
  archive = new AsarArchive(join(appOutDir, 'resources', 'app.asar'));
  console.log(
    `app.asar (${archive.archivePath}), top level:\n${archive
      .topLevel()
      .map((e) => `  ${e.path}${e.kind === 'dir' ? '/' : ''}  ${e.size.toLocaleString('en-US')} B`)
      .join('\n')}\nEvery entry:\n${archive.describe()}`,
  );
}, 180_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed app (electron-builder --dir, Linux x64, stand-in Electron)', () => {
  it('used the stand-in Electron and downloaded nothing', () => {
    expect(builderLog).toContain('using custom unpacked Electron distribution');
    expect(builderLog).not.toMatch(/download(ing|ed)/i);
    expect(existsSync(join(work, 'cache'))).toBe(false);
  });

  it('has the app only as app.asar: no app folder beside it, nothing unpacked', () => {
    expect(readdirSync(join(appOutDir, 'resources')).sort()).toEqual(['app.asar']);
    expect(archive.files().filter((f) => f.unpacked)).toEqual([]);
  });

  it('holds the entry points: main as package.json names it, the preload main computes, the page', () => {
    const packed = JSON.parse(archive.text('package.json')) as {
      main: string;
      type?: string;
      version: string;
      bin?: unknown;
      desktopName?: string;
    };
    expect(packed.main).toBe(pkg.main);
    expect(packed.type).toBe('module'); // out/main/index.js is ESM
    expect(packed.version).toBe(pkg.version);
    expect(packed).not.toHaveProperty('devDependencies');
    expect(packed).not.toHaveProperty('scripts');
    expect(packed.bin ?? null).toBeNull(); // the command line is not shipped: no entry naming a missing file
    // Electron's app_id / WM_CLASS on Linux, matching the .desktop file electron-builder writes.
    expect(packed.desktopName).toBe(`${readBuilderConfig().linux?.executableName ?? ''}.desktop`);
    expect(readBuilderConfig().linux?.syncDesktopName).toBe(true);
    const mainFile = posix.normalize(packed.main);
    expect(archive.isFile(mainFile)).toBe(true);
    // main/bundle.ts computes the other two from main's folder, inside the asar as on disk.
    const asarRoot = '/opt/Lead Importer/resources/app.asar';
    const paths = bundlePaths(posix.join(asarRoot, posix.dirname(mainFile)));
    for (const path of [paths.preload, paths.rendererHtml]) {
      expect(path.startsWith(`${asarRoot}/`)).toBe(true);
      expect(archive.isFile(path.slice(asarRoot.length + 1))).toBe(true);
    }
  });

  it('resolves every runtime import of main and preload inside the asar (or Node/Electron provide it)', () => {
    const bundles = archive.files().filter((f) => /^out\/(main|preload)\/.*\.(js|cjs|mjs)$/.test(f.path));
    expect(bundles.map((b) => b.path)).toEqual(expect.arrayContaining(['out/main/index.js', 'out/preload/index.cjs']));
    const unresolved: string[] = [];
    let checked = 0;
    for (const bundle of bundles) {
      for (const specifier of runtimeImports(archive.text(bundle.path))) {
        checked += 1;
        if (resolveInArchive(archive, bundle.path, specifier).kind === 'missing') unresolved.push(`${bundle.path} → ${specifier}`);
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });

  it('finds every file main and preload load by URL (workers, assets) inside the asar', () => {
    // `new URL('./x.js', import.meta.url)`: a worker script or asset next to the bundle, which
    // the bundler only keeps when it is told to. A missing one fails at run time, not at build.
    // With a choice (`new URL(dev ? './a.mjs' : './b.js', import.meta.url)`) one must be there.
    const missing: string[] = [];
    for (const bundle of archive.files().filter((f) => /^out\/(main|preload)\/.*\.(js|cjs|mjs)$/.test(f.path))) {
      for (const [call, first] of archive.text(bundle.path).matchAll(/new URL\(([^()]*?),\s*import\.meta\.url\s*\)/g)) {
        const refs = [...first.matchAll(/(["'`])(\.{1,2}\/[^"'`]+)\1/g)].map((m) => m[2]);
        if (refs.length === 0) continue; // not a file beside the bundle
        if (!refs.some((ref) => archive.isFile(posix.normalize(posix.join(posix.dirname(bundle.path), ref)))))
          missing.push(`${bundle.path}: ${call}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the sandboxed preload to one file that requires only what a sandboxed preload can', () => {
    expect(
      archive
        .files()
        .filter((f) => f.path.startsWith('out/preload/'))
        .map((f) => f.path),
    ).toEqual(['out/preload/index.cjs']);
    const requires = runtimeImports(archive.text('out/preload/index.cjs'));
    expect(requires).toContain('electron');
    // Electron's sandbox gives a preload `require` for electron, events, timers and url only.
    for (const specifier of requires) expect(['electron', 'events', 'timers', 'url']).toContain(specifier);
  });

  it("bundles main's dependencies: no node_modules, so no dev dependency can ride along", () => {
    const modules = [...archive.entries.keys()].filter((p) => p.split('/').includes('node_modules'));
    expect(modules).toEqual([]);
    expect(pkg.dependencies ?? {}).toEqual({});
    // What main imports by name is all Node or Electron.
    const named = runtimeImports(archive.text('out/main/index.js')).filter((s) => !s.startsWith('.'));
    expect(named).toContain('electron');
    for (const specifier of named) expect(resolveInArchive(archive, 'out/main/index.js', specifier)).toEqual({ kind: 'runtime' });
  });

  it('has the renderer page and every asset it references', () => {
    const html = archive.text('out/renderer/index.html');
    const assets = referencedAssets(html);
    expect(assets.length).toBeGreaterThan(0);
    for (const ref of assets) {
      expect(ref).not.toMatch(/^[a-z]+:|^\/\//i); // nothing remote, nothing absolute
      expect(archive.isFile(posix.normalize(posix.join('out/renderer', ref))), ref).toBe(true);
    }
    // Chunks the page's scripts import, and files its stylesheets point to.
    const rendererFiles = archive.files().filter((f) => f.path.startsWith('out/renderer/'));
    for (const file of rendererFiles) {
      if (/\.m?js$/.test(file.path)) {
        for (const specifier of runtimeImports(archive.text(file.path))) {
          expect(resolveInArchive(archive, file.path, specifier).kind, `${file.path} → ${specifier}`).toBe('file');
        }
      }
      if (file.path.endsWith('.css')) {
        for (const [, , url] of archive.text(file.path).matchAll(/url\((["']?)([^"')]+)\1\)/g)) {
          if (url.startsWith('data:') || url.startsWith('#')) continue;
          expect(archive.isFile(posix.normalize(posix.join(posix.dirname(file.path), url.split(/[?#]/)[0]))), `${file.path} → ${url}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('holds only the built bundles and package.json: no sources, tests, TypeScript, source maps or build resources', () => {
    const files = archive.files().map((f) => f.path);
    const outside = files.filter((p) => p !== 'package.json' && !/^out\/(main|preload|renderer)\//.test(p));
    expect(outside).toEqual([]);
    for (const path of files) {
      expect(path).not.toMatch(/\.(ts|tsx|mts|cts|map)$/);
      expect(path).not.toMatch(/^(test|app|main|renderer|scripts|build|bin|src)\//);
    }
    const dev = Object.keys(pkg.devDependencies ?? {});
    expect(dev.length).toBeGreaterThan(0);
    for (const path of archive.entries.keys()) for (const name of dev) expect(path.includes(`node_modules/${name}/`), path).toBe(false);
  });

  it('wrote the fuses electron-builder.yml asks for into the binary', async () => {
    const configured = readBuilderConfig().electronFuses;
    if (configured === null || configured === undefined) throw new Error('electron-builder.yml sets no electronFuses');
    const before = await getCurrentFuseWire(join(work, 'electron-dist', 'electron'));
    const after = await getCurrentFuseWire(join(appOutDir, EXECUTABLE));
    const state = (wire: Record<number, unknown>, option: FuseV1Options): boolean | string => {
      const byte = wire[option];
      return byte === 49 ? true : byte === 48 ? false : `byte ${String(byte)}`;
    };
    for (const [name, option, wanted] of REQUIRED_FUSES) {
      expect(configured[name], `electron-builder.yml electronFuses.${name}`).toBe(wanted);
      expect(state(after, option), `packed binary: ${FuseV1Options[option]}`).toBe(wanted);
      // The stand-in started at Electron's default: the packing flipped it.
      expect(state(before, option)).toBe(DEFAULT_FUSES[option]);
    }
  });

  it('packs a main that serves the page from app://, not file://', () => {
    const main = archive.text('out/main/index.js');
    expect(main).toContain('app://lead-importer/index.html');
    expect(main).toMatch(/\.registerSchemesAsPrivileged\(/);
    expect(main).toMatch(/\.handle\(/);
    expect(main).not.toMatch(/\.loadFile\(/);
  });
});
