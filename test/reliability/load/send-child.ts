// One big send, in a process of its own so its memory is measured apart from the simulator's:
// `node --import tsx test/reliability/load/send-child.ts '<json options>'`. Prints one JSON line:
// the run's summary, the process's peak RSS, and RSS samples against rows finished.
import * as E from 'fp-ts/Either';
import { sendFile, type RunResult, type SendOptions } from '../../../app/run/send-run.ts';

export interface Sample {
  readonly done: number;
  readonly rssMb: number;
  readonly liveHeapMb?: number;
}

export interface SendChildOutput {
  readonly summary: RunResult;
  readonly peakRssMb: number;
  /**
   * Every second: rows finished so far, resident memory, and the heap still in use after a full
   * garbage collection (with --expose-gc; what the run really keeps, without the GC's slack).
   */
  readonly samples: readonly Sample[];
}

const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc;

async function runOnce(options: SendOptions): Promise<RunResult & { samples: Sample[] }> {
  const started = await sendFile(options);
  if (E.isLeft(started)) throw new Error(started.left.message);
  const run = started.right;
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    gc?.();
    const memory = process.memoryUsage();
    samples.push({ done: run.progress().done, rssMb: memory.rss / MB, ...(gc ? { liveHeapMb: memory.heapUsed / MB } : {}) });
  }, 1_000);
  try {
    return { ...(await run.done), samples };
  } finally {
    clearInterval(timer);
  }
}

const options = JSON.parse(process.argv[2] ?? '{}') as SendOptions;
const { samples, ...summary } = await runOnce(options);
const output: SendChildOutput = { summary, peakRssMb: process.resourceUsage().maxRSS / 1024, samples };
process.stdout.write(`${JSON.stringify(output)}\n`);
