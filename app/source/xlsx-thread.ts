// Workbooks are parsed in worker threads (xlsx-worker.ts) with a heap limit: a workbook that
// needs more memory than allowed ends its own thread with a clear FileError, not the process
// (in the app, the main process: its window and every live run). Before a thread starts, the
// zip's directory is checked (workbook-limits.ts), so a zip bomb is refused at once.
//
// Threads are kept for reuse (a thread starts in tenths of a second, a workbook is read twice:
// header, then rows): at most MAX_IDLE_THREADS wait, unreferenced so they never keep the
// process alive, and each ends after IDLE_MS unused.
import { MessageChannel, SHARE_ENV, Worker } from 'node:worker_threads';
import * as E from 'fp-ts/Either';
import { SourceReadError, unreadable } from './file-errors.ts';
import { batchRowsFor, type ReadTuning } from './read-tuning.ts';
import type { FileError, SourceFile, SourceOptions, SourceRow } from './types.ts';
import { checkWorkbookZip, outOfMemory, workbookLimits, type WorkbookLimits } from './workbook-limits.ts';
import type { PassControl, PassMessage, PassRequest, PassStart } from './xlsx-worker.ts';

const MAX_IDLE_THREADS = 2;
const IDLE_MS = 30_000;
/** How long a thread asked to stop reading may take to close its files before it is ended. */
const STOP_MS = 10_000;

/**
 * Opens an Excel workbook (.xlsx) as xlsx-reader.ts's `openWorkbook` does, but in a worker
 * thread; `rows()` reads the rows in another pass, in a thread too.
 */
export async function openWorkbookInThread(
  path: string,
  options: SourceOptions,
  tuning: ReadTuning,
): Promise<E.Either<FileError, SourceFile>> {
  const limits = workbookLimits(options.maxWorkbookMb, tuning.workbookLimits);
  const checked = await checkWorkbookZip(path, limits);
  if (E.isLeft(checked)) return checked;
  const pass = startPass(path, limits, { kind: 'open', path, options, tuning });
  try {
    const message = await pass.next();
    if (message.type === 'failed') return E.left(message.error);
    if (message.type !== 'opened') return E.left(unreadable(path, new Error(`the workbook reader answered "${message.type}"`)));
    if (E.isLeft(message.result)) return message.result;
    const summary = message.result.right;
    const { sheet } = summary;
    if (sheet === undefined) return E.left(unreadable(path, new Error('the workbook reader named no sheet')));
    const request: PassRequest = {
      kind: 'rows',
      path,
      sheet,
      headerRowNumber: summary.headerRowNumber,
      width: summary.header.length,
      batchRows: batchRowsFor(summary.header.length, tuning.batchRows),
      limits,
    };
    return E.right({ ...summary, rows: () => rowsInThread(path, limits, request) });
  } catch (error) {
    if (error instanceof SourceReadError) return E.left(error.fileError);
    throw error;
  } finally {
    await pass.finish();
  }
}

async function* rowsInThread(path: string, limits: WorkbookLimits, request: PassRequest): AsyncGenerator<SourceRow[]> {
  const pass = startPass(path, limits, request);
  try {
    // One batch in hand, one on its way.
    pass.control({ type: 'more' });
    pass.control({ type: 'more' });
    for (;;) {
      const message = await pass.next();
      if (message.type === 'end') return;
      if (message.type === 'failed') throw new SourceReadError(message.error);
      if (message.type === 'rows') {
        yield message.rows;
        pass.control({ type: 'more' });
      }
    }
  } finally {
    await pass.finish();
  }
}

interface Pass {
  /** The next message of the pass; rejects with a SourceReadError when its thread dies. */
  next(): Promise<PassMessage>;
  control(message: PassControl): void;
  /** Stops the pass if it is still reading, and frees its thread. */
  finish(): Promise<void>;
}

function startPass(path: string, limits: WorkbookLimits, request: PassRequest): Pass {
  const thread = takeThread(limits.heapMb);
  const { port1, port2 } = new MessageChannel();
  const queue: PassMessage[] = [];
  let failure: SourceReadError | undefined;
  let waiting: { resolve(message: PassMessage): void; reject(error: unknown): void } | undefined;
  let done = false;
  port1.on('message', (message: PassMessage) => {
    if (message.type === 'end' || message.type === 'failed' || message.type === 'opened') done = true;
    if (waiting === undefined) queue.push(message);
    else {
      waiting.resolve(message);
      waiting = undefined;
    }
  });
  thread.onDeath = (error) => {
    failure = new SourceReadError(isOutOfMemory(error) ? outOfMemory(path, limits) : unreadable(path, error), { cause: error });
    waiting?.reject(failure);
    waiting = undefined;
  };
  const start: PassStart = { request, port: port2 };
  thread.worker.postMessage(start, [port2]);

  const next = (): Promise<PassMessage> => {
    const queued = queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise((resolve, reject) => (waiting = { resolve, reject }));
  };

  return {
    next,
    control: (message) => port1.postMessage(message),
    finish: async () => {
      if (!done && !thread.dead) {
        port1.postMessage({ type: 'stop' } satisfies PassControl);
        const stopped = await Promise.race([
          drain(next),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_MS).unref()),
        ]);
        if (!stopped) await endThread(thread);
      }
      thread.onDeath = undefined;
      port1.close();
      releaseThread(thread);
    },
  };
}

/** Reads messages until the pass ends; false if its thread died first (it is not reused then). */
async function drain(next: () => Promise<PassMessage>): Promise<boolean> {
  try {
    for (let message = await next(); message.type === 'rows'; message = await next());
    return true;
  } catch {
    return false;
  }
}

function isOutOfMemory(error: Error): boolean {
  return 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

interface ReaderThread {
  readonly worker: Worker;
  readonly heapMb: number;
  dead: boolean;
  onDeath: ((error: Error) => void) | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

const idleThreads: ReaderThread[] = [];

/** Under tsx (a checkout) the worker is TypeScript too: a small shim registers the loader first. */
function workerUrl(): URL {
  const fromTypeScript = new URL(import.meta.url).pathname.endsWith('.ts');
  return new URL(fromTypeScript ? './xlsx-worker-tsx.mjs' : './xlsx-worker.js', import.meta.url);
}

function takeThread(heapMb: number): ReaderThread {
  const at = idleThreads.findIndex((t) => t.heapMb === heapMb);
  if (at !== -1) {
    const [thread] = idleThreads.splice(at, 1);
    clearTimeout(thread.idleTimer);
    thread.worker.ref();
    return thread;
  }
  // SHARE_ENV: exceljs parks sheets in temp files under TMPDIR, which the process may set later.
  const worker = new Worker(workerUrl(), { resourceLimits: { maxOldGenerationSizeMb: heapMb }, env: SHARE_ENV });
  const thread: ReaderThread = { worker, heapMb, dead: false, onDeath: undefined, idleTimer: undefined };
  const die = (error: Error): void => {
    if (thread.dead) return;
    thread.dead = true;
    clearTimeout(thread.idleTimer);
    const idle = idleThreads.indexOf(thread);
    if (idle !== -1) idleThreads.splice(idle, 1);
    thread.onDeath?.(error);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`the workbook reader stopped (exit code ${code})`)));
  return thread;
}

function releaseThread(thread: ReaderThread): void {
  if (thread.dead) return;
  if (idleThreads.length >= MAX_IDLE_THREADS) {
    void endThread(thread);
    return;
  }
  thread.worker.unref();
  thread.idleTimer = setTimeout(() => void endThread(thread), IDLE_MS).unref();
  idleThreads.push(thread);
}

async function endThread(thread: ReaderThread): Promise<void> {
  const idle = idleThreads.indexOf(thread);
  if (idle !== -1) idleThreads.splice(idle, 1);
  thread.onDeath = undefined;
  thread.dead = true;
  await thread.worker.terminate();
}
