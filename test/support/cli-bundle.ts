// The CLI as plain JavaScript in a folder every user can read, for scenarios that run it as
// another (unprivileged) user: that user may not be able to enter the checkout at all (a clone
// inside a private folder such as `mktemp -d`), let alone load its TypeScript through tsx.
// esbuild bundles bin/lead-import.mjs with everything it imports (tsx's loader is not needed
// for JavaScript), and the segment worker beside it, where app/validate/segments.ts looks.
import { build, type Plugin } from 'esbuild';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliBundle {
  /** The folder (readable by everyone). */
  readonly dir: string;
  /** The CLI: `node <entry> send …`. */
  readonly entry: string;
  remove(): Promise<void>;
}

const fromRepo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** bin/lead-import.mjs registers tsx before importing TypeScript; in the bundle there is none left. */
const withoutTsx: Plugin = {
  name: 'without-tsx',
  setup(plugin) {
    plugin.onResolve({ filter: /^tsx\/esm\/api$/ }, () => ({ path: 'tsx', namespace: 'without-tsx' }));
    plugin.onLoad({ filter: /.*/, namespace: 'without-tsx' }, () => ({ contents: 'export function register() {}', loader: 'js' }));
  },
};

export async function bundleCli(): Promise<CliBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'lead-import-cli-'));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: { 'lead-import': fromRepo('bin/lead-import.mjs'), 'segment-worker': fromRepo('app/validate/segment-worker.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // CommonJS dependencies require Node's built-ins; an ES module has no `require` of its own.
      banner: {
        js: "import { createRequire as __cliBundleRequire } from 'node:module'; const require = __cliBundleRequire(import.meta.url);",
      },
      plugins: [withoutTsx],
      logLevel: 'silent',
    });
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const name of await readdir(dir)) await chmod(join(dir, name), 0o644);
    await chmod(dir, 0o755);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, entry: join(dir, 'lead-import.js'), remove };
}
