// Decides, per request, which injected fault (if any) hits it. One seeded stream, drawn the
// same number of times for every request, so a run replays identically for a given seed and
// arrival order. Tests that need a fault at an exact request queue it instead of relying on rates.
import type { ServerErrorStatus, SimulatorOptions } from './options.ts';
import { mulberry32, pick, type Random } from './random.ts';

/** A fault forced onto the next lead update: a kind, or a 5xx status (a server error with that status). */
export type ForcedFault = 'server-error' | 'drop-before-apply' | 'drop-after-apply' | 'repeated-job-id' | ServerErrorStatus;

export type UpdateFault =
  | { readonly kind: 'none' }
  | { readonly kind: 'server-error'; readonly status: ServerErrorStatus }
  | { readonly kind: 'drop-before-apply' }
  | { readonly kind: 'drop-after-apply' }
  | { readonly kind: 'repeated-job-id' };

export type FaultSettings = Pick<
  SimulatorOptions,
  | 'serverErrorRate'
  | 'serverErrorStatuses'
  | 'adminServerErrorRate'
  | 'readServerErrorRate'
  | 'dropBeforeApplyRate'
  | 'dropAfterApplyRate'
  | 'repeatedJobIdRate'
  | 'latencyMs'
  | 'latencySpikes'
>;

export interface Latency {
  readonly ms: number;
  readonly spike: boolean;
}

export class FaultInjector {
  private random: Random;
  private readonly queued: ForcedFault[] = [];

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  reseed(seed: number): void {
    this.random = mulberry32(seed);
  }

  queue(faults: readonly ForcedFault[]): void {
    this.queued.push(...faults);
  }

  get queuedCount(): number {
    return this.queued.length;
  }

  clear(): void {
    this.queued.length = 0;
  }

  /** Latency for any response: the base plus, now and then, a spike. */
  latency(settings: FaultSettings): Latency {
    const u = this.random();
    const spike = settings.latencySpikes !== null && u < settings.latencySpikes.rate;
    return { ms: settings.latencyMs + (spike && settings.latencySpikes ? settings.latencySpikes.ms : 0), spike };
  }

  /** The fault drawn for a lead update at the configured rates (queued faults come later, see takeQueued). */
  forUpdate(settings: FaultSettings): UpdateFault {
    const u = this.random();
    const statusDraw = this.random();
    // The rates partition [0, 1), so each is the exact share of requests it names.
    const serverEnd = settings.serverErrorRate;
    const dropBeforeEnd = serverEnd + settings.dropBeforeApplyRate;
    const dropAfterEnd = dropBeforeEnd + settings.dropAfterApplyRate;
    const repeatedEnd = dropAfterEnd + settings.repeatedJobIdRate;
    if (u < serverEnd) return { kind: 'server-error', status: this.statusFrom(settings, statusDraw) };
    if (u < dropBeforeEnd) return { kind: 'drop-before-apply' };
    if (u < dropAfterEnd) return { kind: 'drop-after-apply' };
    if (u < repeatedEnd) return { kind: 'repeated-job-id' };
    return { kind: 'none' };
  }

  /** Write status, retry-write and write logs: only server errors, at their own rate. */
  forAdmin(settings: FaultSettings): ServerErrorStatus | null {
    const u = this.random();
    const statusDraw = this.random();
    return u < settings.adminServerErrorRate ? this.statusFrom(settings, statusDraw) : null;
  }

  /** Reads (lists, GET lead): a 5xx at `readServerErrorRate`, drawn like `forAdmin`. */
  forRead(settings: FaultSettings): ServerErrorStatus | null {
    const u = this.random();
    const statusDraw = this.random();
    return u < settings.readServerErrorRate ? this.statusFrom(settings, statusDraw) : null;
  }

  /**
   * The next queued fault, taken by a lead update that got past auth and the rate limit (a 401
   * or 429 does not use one up, so a queued fault always reaches the handler).
   */
  takeQueued(settings: FaultSettings): UpdateFault | null {
    const forced = this.queued.shift();
    if (forced === undefined) return null;
    if (typeof forced === 'number') return { kind: 'server-error', status: forced };
    if (forced === 'server-error') return { kind: 'server-error', status: this.statusFrom(settings, this.random()) };
    return { kind: forced };
  }

  private statusFrom(settings: FaultSettings, draw: number): ServerErrorStatus {
    return pick(() => draw, settings.serverErrorStatuses);
  }
}
