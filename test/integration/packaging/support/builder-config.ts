// electron-builder.yml, read as electron-builder reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { load } from 'js-yaml';
import { ROOT } from './built-app.ts';

export const BUILDER_CONFIG_FILE = join(ROOT, 'electron-builder.yml');

export function readBuilderConfig(): Configuration {
  const parsed = load(readFileSync(BUILDER_CONFIG_FILE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${BUILDER_CONFIG_FILE}: not a mapping`);
  return parsed as Configuration;
}

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly main: string;
  readonly type?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly scripts?: Readonly<Record<string, string>>;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** The Electron version package.json pins (what the app is built, tested and packaged for). */
export function pinnedElectronVersion(pkg: PackageJson = readPackageJson()): string {
  const version = pkg.devDependencies?.electron;
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json: electron must be pinned to an exact version, not ${version ?? 'missing'}`);
  return version;
}
