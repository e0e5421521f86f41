// Progress of a run on stderr: a live bar on a terminal, a plain line now and then otherwise.
import type { LiveRun } from '../run/send-run.ts';
import type { RunProgress } from '../run/progress.ts';
import type { CliIo } from './io.ts';
import { count } from './format.ts';

const BAR_WIDTH = 24;

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '…';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(p: RunProgress, bar: boolean): string {
  const c = p.counts;
  const fraction = p.toSend > 0 ? p.done / p.toSend : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const head = bar ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
  const outcomes = [
    `${count(c.succeeded)} ok`,
    c.partial ? `${count(c.partial)} partial` : '',
    c.failed ? `${count(c.failed)} failed` : '',
    c.rejected ? `${count(c.rejected)} rejected` : '',
    c.unknown ? `${count(c.unknown)} unknown` : '',
    c.pending ? `${count(c.pending)} pending` : '',
    c.accepted ? `${count(c.accepted)} awaiting job` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const state = p.paused ? ' (paused)' : '';
  return `${head}${count(p.done)}/${count(p.toSend)} rows · ${outcomes} · ${p.requestsPerMinute} req/min · ETA ${formatDuration(p.etaMs)}${state}`;
}

export function progressReporter(io: CliIo, run: LiveRun): { stop(): void } {
  const tty = io.stderr.isTTY === true;
  const interval = tty ? 250 : 10_000;
  const timer = setInterval(() => {
    const line = progressLine(run.progress(), tty);
    io.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  }, interval);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) io.stderr.write('\r\x1b[K');
    },
  };
}
