// The practice simulator on a worker thread of its own: the desktop service's practice
// environment. In the service's thread it was a second workload on the run's event loop and heap
// (parsing, validating and recording every request: GC pauses of ~200 ms in a long run); on its
// own thread the service only sends. A worker, not a child process: the packaged app cannot fork
// itself as Node (its RunAsNode fuse is off). HTTP goes to `url` as to any server; the few other
// calls (tests changing a lead behind the importer's back) go by message.
import { Worker } from 'node:worker_threads';
import type { Counts } from './record.ts';
import type { JsonValue } from './seed-data.ts';
import type { SimulatorOptions } from './options.ts';
import {
  isPracticeAnswer,
  type PracticeCall,
  type PracticeCallValue,
  type PracticeRequestMessage,
  type PracticeThreadRequest,
} from './practice-protocol.ts';

/** What a run needs of a practice server, wherever it runs (this thread's simulator has it too). */
export interface PracticeServer {
  /** e.g. `http://127.0.0.1:53124` (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

export interface PracticeThread extends PracticeServer {
  /** The worker's thread id (never this thread's). */
  readonly threadId: number;
  /** Whether the thread still runs (it ends when closed, or if it failed). */
  readonly running: boolean;
  /** The lead as `GET /v1/leads/{id}` would show it now (no request); undefined if it does not exist. */
  lead(leadId: string): Promise<Readonly<Record<string, JsonValue>> | undefined>;
  /** Changes a lead behind the importer's back (GET field names); rejects for an unknown lead or field. */
  changeLead(leadId: string, patch: Readonly<Record<string, JsonValue>>): Promise<void>;
  /** Requests per endpoint and status, as the simulator counted them. */
  counts(): Promise<Counts>;
}

export interface PracticeThreadOptions {
  readonly options: Partial<SimulatorOptions>;
  readonly recordLimit: number;
  readonly stateLimit: number;
  /**
   * The thread's old-generation heap cap (MB). Its state is bounded (recordLimit, stateLimit:
   * 35–55 MB used at the practice limits, bench:desktop), so a cap keeps its collector eager and
   * its share of the app's memory small; running out ends the thread, not the app.
   */
  readonly maxHeapMb?: number;
}

/** Under tsx (a checkout) the worker is TypeScript too: a small shim registers the loader first. */
function workerUrl(): URL {
  const fromTypeScript = new URL(import.meta.url).pathname.endsWith('.ts');
  return new URL(fromTypeScript ? './practice-worker-tsx.mjs' : './practice-worker.js', import.meta.url);
}

/** Starts the practice simulator on a worker thread; resolves once it listens. */
export async function startPracticeThread(options: PracticeThreadOptions): Promise<PracticeThread> {
  const request: PracticeThreadRequest = { options: options.options, recordLimit: options.recordLimit, stateLimit: options.stateLimit };
  // A small young generation too: its requests' garbage dies young, and a default young
  // generation (48 MB) was half of the thread's heap.
  const worker = new Worker(workerUrl(), {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 160, maxYoungGenerationSizeMb: 12 },
  });
  const pending = new Map<number, { resolve: (value: PracticeCallValue) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let running = true;
  let ended: Error | null = null;

  const listening = new Promise<string>((resolve, reject) => {
    const end = (error: Error): void => {
      if (!running) return;
      running = false;
      ended = error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    // Only our messages: a loader registered in the worker may post messages of its own.
    worker.on('message', (message: unknown) => {
      if (!isPracticeAnswer(message)) return;
      switch (message.type) {
        case 'practice-listening':
          resolve(message.url);
          return;
        case 'practice-start-failed':
          end(new Error(`The practice simulator did not start: ${message.message}`));
          return;
        case 'practice-answer':
          pending.get(message.id)?.resolve(message.value);
          pending.delete(message.id);
          return;
        case 'practice-call-failed':
          pending.get(message.id)?.reject(new Error(message.message));
          pending.delete(message.id);
          return;
      }
    });
    worker.on('error', (error) => end(new Error(`The practice simulator stopped: ${error.message}`)));
    worker.once('exit', (code) => end(new Error(`The practice simulator stopped (exit code ${code})`)));
  });

  const call = (what: PracticeCall): Promise<PracticeCallValue> => {
    if (ended !== null) return Promise.reject(ended);
    const id = ++nextId;
    const message: PracticeRequestMessage = { type: 'practice-call', id, call: what };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage(message);
    });
  };

  let url: string;
  try {
    url = await listening;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // Never unhandled: a thread that ends later rejects `listening` again only for callers above.
  listening.catch(() => undefined);
  return {
    url,
    threadId: worker.threadId,
    get running() {
      return running;
    },
    lead: async (leadId) => (await call({ method: 'lead', leadId })) as Readonly<Record<string, JsonValue>> | undefined,
    changeLead: async (leadId, patch) => {
      await call({ method: 'changeLead', leadId, patch });
    },
    counts: async () => (await call({ method: 'counts' })) as Counts,
    async close() {
      if (!running) return;
      // The server closes its sockets first, then the thread ends; terminate is the backstop.
      await call({ method: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
