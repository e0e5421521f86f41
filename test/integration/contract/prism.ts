// Stoplight Prism (`@stoplight/prism-cli`, a devDependency) serving Propexo's own OpenAPI
// document on 127.0.0.1: a server nobody here wrote. Used by the contract tests and by
// `prism-runs.ts` (figures). Plain helpers, no vitest: both load them.
//
// The document served is the two vendored excerpts merged (the operations we call: update,
// write status, retry-write, write logs; and the reads, for the lookup and preview features),
// in one of two variants:
// - `document`: as published, plus one named example for the update's 200 (`empty-job-id`:
//   `{ "job_id": "", "data": {} }`, schema-valid). Prism's static answer stays the one it
//   generates from the schema (`{ "job_id": "string", "data": {} }`, listed first); a test picks
//   the other with `Prefer: example=empty-job-id`.
// - `strict`: request bodies' object schemas get `additionalProperties: false`, so an unknown
//   key is a violation as on the live API (the document itself does not forbid them).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const prismCli = join(repoRoot, 'node_modules/@stoplight/prism-cli/dist/index.js');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const readDocument = (name: string): JsonObject => JSON.parse(readFileSync(join(repoRoot, 'app/propexo', name), 'utf8')) as JsonObject;

/** The two excerpts as one document (shared components are identical; a path may hold operations from both). */
function mergedDocument(): JsonObject {
  const update = readDocument('openapi-lead-update.json');
  const reads = readDocument('openapi-reads.json');
  const merged = structuredClone(update);
  const paths = merged.paths as JsonObject;
  for (const [path, operations] of Object.entries(reads.paths as JsonObject))
    paths[path] = { ...(isObject(paths[path]) ? paths[path] : {}), ...(operations as JsonObject) };
  const components = merged.components as JsonObject;
  for (const [kind, entries] of Object.entries(reads.components as JsonObject)) {
    const into = (components[kind] ?? {}) as JsonObject;
    for (const [name, value] of Object.entries(entries as JsonObject)) {
      if (into[name] !== undefined && JSON.stringify(into[name]) !== JSON.stringify(value))
        throw new Error(`components.${kind}.${name} differs between the two excerpts`);
      into[name] = value;
    }
    components[kind] = into;
  }
  return merged;
}

const refName = (node: Json | undefined): string | undefined =>
  isObject(node) && typeof node.$ref === 'string' ? node.$ref.replace('#/components/schemas/', '') : undefined;

/** Every object schema with properties, at any depth, forbids other keys. */
function strictCopy(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictCopy);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = strictCopy(value);
  if (isObject(node.properties) && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export type DocumentVariant = 'document' | 'strict';

export function servedDocument(variant: DocumentVariant): JsonObject {
  const doc = mergedDocument();
  const paths = doc.paths as JsonObject;
  const schemas = (doc.components as JsonObject).schemas as JsonObject;
  const update = ((paths['/v1/leads/{id}'] as JsonObject).put as JsonObject).responses as JsonObject;
  const media = ((update['200'] as JsonObject).content as JsonObject)['application/json'] as JsonObject;
  media.examples = { 'schema-generated': { value: { job_id: 'string', data: {} } }, 'empty-job-id': { value: { job_id: '', data: {} } } };
  if (variant === 'strict') {
    for (const operations of Object.values(paths)) {
      for (const operation of Object.values(operations as JsonObject)) {
        const body = isObject(operation) && isObject(operation.requestBody) ? operation.requestBody : undefined;
        const schema =
          body && isObject(body.content) && isObject(body.content['application/json'])
            ? body.content['application/json'].schema
            : undefined;
        const name = refName(schema);
        if (name !== undefined && schemas[name] !== undefined) schemas[name] = strictCopy(schemas[name]);
      }
    }
  }
  return doc;
}

export interface PrismOptions {
  readonly variant: DocumentVariant;
  /** Dynamic mode (`-d`); default: when a seed is given. */
  readonly dynamic?: boolean;
  /** The seed of dynamic mode (`--seed`). */
  readonly seed?: string;
  /** Where to write the document served. */
  readonly dir: string;
}

export interface Prism {
  readonly url: string;
  /** Requests Prism has logged as received so far. */
  received(): number;
  /** Log lines that report a request violation (or a request Prism refused), so far. */
  violations(): string[];
  /** Resolves once Prism has logged `count` requests received (its log trails its answers). */
  receivedAtLeast(count: number, timeoutMs?: number): Promise<number>;
  readonly log: () => string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const VIOLATION = /Violation: request|Request did not pass the validation rules|Request terminated with error|Invalid security scheme/;

export async function startPrism(options: PrismOptions): Promise<Prism> {
  const file = join(options.dir, `propexo-${options.variant}.json`);
  await writeFile(file, JSON.stringify(servedDocument(options.variant), null, 2));
  const port = await freePort();
  const args = [
    prismCli,
    'mock',
    file,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '--errors',
    ...((options.dynamic ?? options.seed !== undefined) ? ['-d'] : []),
    ...(options.seed !== undefined ? ['--seed', options.seed] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let log = '';
  let received = 0;
  const violations: string[] = [];
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    log += text;
    for (const line of text.split('\n')) {
      if (/Request received/.test(line)) received++;
      if (VIOLATION.test(line)) violations.push(line.trim());
      if (/Prism is listening/.test(line)) listening();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = exited.then(() => {
    throw new Error(`Prism exited before listening:\n${log.slice(-2_000)}`);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Prism did not start within 60 s:\n${log.slice(-2_000)}`)), 60_000).unref(),
  );
  try {
    await Promise.race([ready, failed, timeout]);
  } catch (error) {
    child.kill();
    throw error;
  }
  failed.catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    violations: () => [...violations],
    async receivedAtLeast(count, timeoutMs = 5_000) {
      const start = Date.now();
      while (received < count && Date.now() - start < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 20));
      return received;
    },
    log: () => log,
    async close() {
      if (child.exitCode !== null) return;
      child.kill();
      await exited;
    },
  };
}
