// A stand-in Electron distribution for electron-builder's `electronDist` (the real runtime
// cannot be downloaded here): a folder with `version` and an `electron` executable that is a
// placeholder, not a runtime. It refuses to run, and it carries a fuse wire laid out as
// Electron's docs describe it (sentinel, version byte, length byte, one byte per fuse) with
// Electron's documented defaults, so electron-builder's fuse step has something to flip and
// @electron/fuses can read the result back. A real Electron 45 binary may carry fuses after
// these eight; electron-builder writes only the ones its configuration names.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';

/** @electron/fuses' sentinel: where the fuse wire starts in an Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_WIRE_VERSION = 1;

/** Electron's documented default of each fuse (docs/tutorial/fuses.md). */
export const DEFAULT_FUSES: Readonly<Record<FuseV1Options, boolean>> = {
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: true,
  [FuseV1Options.EnableNodeCliInspectArguments]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: false,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
};

const FUSE_ORDER = Object.keys(DEFAULT_FUSES)
  .map(Number)
  .sort((a, b) => a - b) as FuseV1Options[];

/** The bytes after the sentinel: version, length, then '0'/'1' per fuse. */
export function fuseWire(fuses: Readonly<Record<FuseV1Options, boolean>>): Buffer {
  return Buffer.concat([
    Buffer.from([FUSE_WIRE_VERSION, FUSE_ORDER.length]),
    Buffer.from(FUSE_ORDER.map((option) => (fuses[option] ? '1' : '0')).join(''), 'latin1'),
  ]);
}

export interface StandInElectron {
  /** Pass as `-c.electronDist=…`. */
  readonly dir: string;
  readonly executable: string;
}

/** Writes the stand-in distribution (Linux layout) into `dir`. */
export function createStandInElectron(dir: string, version: string): StandInElectron {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'version'), version);
  const script = `#!/bin/sh\necho "Lead Importer tests: a stand-in for Electron ${version}, not a runtime" >&2\nexit 1\n`;
  const executable = join(dir, 'electron');
  writeFileSync(
    executable,
    Buffer.concat([
      Buffer.from(script),
      Buffer.from(`# fuse wire: ${FUSE_SENTINEL}`, 'latin1'),
      fuseWire(DEFAULT_FUSES),
      Buffer.from('\n'),
    ]),
  );
  chmodSync(executable, 0o755);
  return { dir, executable };
}
