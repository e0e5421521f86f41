// Reads an app.asar the way the tests need it: every entry with its size, file contents, and
// what a bundle imports at run time.
import { extractFile, getRawHeader } from '@electron/asar';
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface AsarEntry {
  /** Inside the archive, without a leading slash: 'out/main/index.js'. */
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'link';
  /** Bytes; for a folder, the sum of the files under it. */
  readonly size: number;
  /** Stored in app.asar.unpacked instead of the archive. */
  readonly unpacked: boolean;
}

interface HeaderNode {
  readonly files?: Record<string, HeaderNode>;
  readonly size?: number;
  readonly link?: string;
  readonly unpacked?: boolean;
}

export class AsarArchive {
  readonly entries: ReadonlyMap<string, AsarEntry>;

  constructor(readonly archivePath: string) {
    const entries = new Map<string, AsarEntry>();
    const walk = (node: HeaderNode, path: string): number => {
      if (node.files !== undefined) {
        let total = 0;
        for (const [name, child] of Object.entries(node.files)) total += walk(child, path === '' ? name : `${path}/${name}`);
        if (path !== '') entries.set(path, { path, kind: 'dir', size: total, unpacked: node.unpacked === true });
        return total;
      }
      if (node.link !== undefined) {
        entries.set(path, { path, kind: 'link', size: 0, unpacked: node.unpacked === true });
        return 0;
      }
      const size = node.size ?? 0;
      entries.set(path, { path, kind: 'file', size, unpacked: node.unpacked === true });
      return size;
    };
    walk(getRawHeader(archivePath).header as HeaderNode, '');
    this.entries = entries;
  }

  files(): AsarEntry[] {
    return [...this.entries.values()].filter((e) => e.kind === 'file');
  }

  topLevel(): AsarEntry[] {
    return [...this.entries.values()].filter((e) => !e.path.includes('/')).sort((a, b) => a.path.localeCompare(b.path));
  }

  isFile(path: string): boolean {
    return this.entries.get(path)?.kind === 'file';
  }

  read(path: string): Buffer {
    if (!this.isFile(path)) throw new Error(`${this.archivePath}: no file ${path}`);
    return extractFile(this.archivePath, path);
  }

  text(path: string): string {
    return this.read(path).toString('utf8');
  }

  /** A listing of every entry with its size, folders first within a folder. */
  describe(): string {
    const lines = [...this.entries.values()]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map(
        (e) =>
          `${'  '.repeat(e.path.split('/').length - 1)}${posix.basename(e.path)}${e.kind === 'dir' ? '/' : ''}  ${e.size.toLocaleString('en-US')} B`,
      );
    return lines.join('\n');
  }
}

/**
 * The modules a bundle loads by name: static `import`/`export … from`, literal `import()`,
 * `require('…')`, and rolldown's `__require('…')` (its createRequire for bundled CommonJS).
 */
export function runtimeImports(source: string): string[] {
  const found = new Set(ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName));
  for (const match of source.matchAll(/\b__require\(\s*(["'])([^"']+)\1\s*\)/g)) found.add(match[2]);
  return [...found].sort();
}

/** 'electron', 'node:fs', 'fs/promises'… */
export function isRuntimeProvided(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/') || isBuiltin(specifier);
}

export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export type Resolution =
  | { readonly kind: 'runtime' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'package'; readonly path: string }
  | { readonly kind: 'missing' };

/** Where `specifier`, imported by `from`, is found at run time inside `archive`. */
export function resolveInArchive(archive: AsarArchive, from: string, specifier: string): Resolution {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
    const base = specifier.startsWith('/') ? specifier.slice(1) : posix.join(posix.dirname(from), specifier);
    const target = posix.normalize(base);
    // ES modules need the exact file name; CommonJS also tries Node's extensions.
    const candidates = from.endsWith('.cjs') ? [target, `${target}.js`, `${target}.cjs`, `${target}.json`, `${target}/index.js`] : [target];
    const hit = candidates.find((c) => archive.isFile(c));
    return hit === undefined ? { kind: 'missing' } : { kind: 'file', path: hit };
  }
  if (isRuntimeProvided(specifier)) return { kind: 'runtime' };
  const name = packageName(specifier);
  for (let dir = posix.dirname(from); ; dir = posix.dirname(dir)) {
    const candidate = dir === '.' ? `node_modules/${name}/package.json` : `${dir}/node_modules/${name}/package.json`;
    if (archive.isFile(candidate)) return { kind: 'package', path: posix.dirname(candidate) };
    if (dir === '.') return { kind: 'missing' };
  }
}

/** The src/href an HTML page loads (scripts, stylesheets, preloads, icons, images). */
export function referencedAssets(html: string): string[] {
  const refs: string[] = [];
  for (const tag of html.matchAll(/<(script|link|img)\b[^>]*>/gi)) {
    const attr = /\b(?:src|href)\s*=\s*"([^"]+)"/i.exec(tag[0]);
    if (attr !== null) refs.push(attr[1]);
  }
  return refs;
}
