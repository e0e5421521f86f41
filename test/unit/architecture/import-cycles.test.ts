import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import graph of the shipped code (app/, main/, renderer/) must have no cycles: a cycle
// hides load-order bugs and makes a module impossible to understand alone. `import type` and
// dynamic `import()` count too, because they couple the modules just the same.

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const roots = ['app', 'main', 'renderer'];
const sourceFile = /\.(ts|tsx|mts|cts)$/;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourcesUnder(path);
    return sourceFile.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The source file a relative specifier names, or undefined for packages, assets and JSON. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const bare = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  const candidates = [
    bare,
    bare.replace(/\.js$/, '.ts'),
    bare.replace(/\.jsx$/, '.tsx'),
    `${bare}.ts`,
    `${bare}.tsx`,
    join(bare, 'index.ts'),
    join(bare, 'index.tsx'),
  ];
  return candidates.find((path) => sourceFile.test(path) && existsSync(path) && statSync(path).isFile());
}

/** Every module a file imports: static (type-only included), re-exports and dynamic `import()`. */
function importsOf(path: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap(({ fileName }) => resolveSpecifier(path, fileName) ?? []);
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(files.map((file) => [file, [...new Set(importsOf(file, readFileSync(file, 'utf8')))]]));
}

/** Tarjan's strongly connected components; each one with a cycle in it, as a closed path of files. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = component.length === 1 && (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** One closed path through a strongly connected component, start repeated at the end. */
function cycleWithin(graph: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

describe('import graph', () => {
  it('names each cycle as a closed path and ignores files that only lead into one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts', 'e.ts']],
      ['e.ts', []],
      ['f.ts', ['f.ts']],
    ]);
    expect(importCycles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['f.ts', 'f.ts'],
    ]);
  });

  it('reads type imports, re-exports and dynamic imports of a real file', () => {
    const from = join(repo, 'app', 'shared', 'contract.ts');
    const text = [
      "import type { X } from './contract-kit.ts';",
      "export * from './contract.ts';",
      "void import('./contract-kit.ts');",
      "import t from 'io-ts';",
    ].join('\n');
    expect(importsOf(from, text)).toEqual([
      join(repo, 'app', 'shared', 'contract-kit.ts'),
      join(repo, 'app', 'shared', 'contract.ts'),
      join(repo, 'app', 'shared', 'contract-kit.ts'),
    ]);
  });

  it('has no cycle in app/, main/ or renderer/', () => {
    const graph = importGraph(roots.flatMap((root) => sourcesUnder(join(repo, root))));
    const cycles = importCycles(graph).map((cycle) => cycle.map((file) => relative(repo, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
