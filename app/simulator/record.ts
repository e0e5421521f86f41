// What arrived and what was applied: the evidence tests assert on. Entries are created when a
// request arrives (so the record is in arrival order) and completed before the client can see
// any answer, so once a fetch settles its entry is final.
import { listEndpointNames, type ListEndpoint } from '../propexo/read-codecs.ts';

export type Endpoint = 'update-lead' | 'write-status' | 'retry-write' | 'write-logs' | 'get-lead' | `list-${ListEndpoint}` | 'unknown';
/** Reads answer big bodies (a page of 250 leads): the record keeps their status, not their answer. */
export const isReadEndpoint = (endpoint: Endpoint): boolean => endpoint === 'get-lead' || endpoint.startsWith('list-');

/** Faults the simulator injected into a request (rate limiting is ordinary behaviour, not a fault). */
export type FaultKind = 'server-error' | 'drop-before-apply' | 'drop-after-apply' | 'repeated-job-id' | 'storm' | 'latency-spike';

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  /** Arrival, in ms since the simulator started (by its clock). */
  readonly at: number;
  /** When the answer was sent or the connection cut, in ms since start; null while in flight. */
  readonly finishedAt: number | null;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The query string as sent, e.g. '?ignore_unknown_fields=true', or ''. */
  readonly search: string;
  readonly endpoint: Endpoint;
  readonly leadId?: string;
  /** Lead update: the job id answered (that of an earlier job under `repeated-job-id`). Write status and retry-write: the job asked about (a retry's new job is in `response`). */
  readonly jobId?: string;
  /** The parsed JSON body, when there was one that parsed. */
  readonly body?: unknown;
  /** The body text, when it did not parse as JSON. */
  readonly bodyText?: string;
  /** HTTP status sent, 'dropped' when the connection was cut, 'in-flight' until then. */
  readonly status: number | 'dropped' | 'in-flight';
  /** Whether this request changed a lead (a job was created for it). */
  readonly applied: boolean;
  readonly fault?: FaultKind;
  /** The client had hung up (e.g. its timeout fired) before the answer was ready: it never saw `status`. */
  readonly clientGone?: true;
  /** Artificial delay added before answering (latency, spikes, slowdown), in ms. */
  readonly delayedMs: number;
  /** The answer's JSON body (for tests that want to see exactly what was said); not kept for reads. */
  readonly response?: unknown;
}

export interface AppliedUpdate {
  readonly jobId: string;
  /** When it was applied, in ms since the simulator started. */
  readonly at: number;
  /** The body as applied (unknown keys already stripped when they were ignored). */
  readonly body: Readonly<Record<string, unknown>>;
  /** Keys stripped by `?ignore_unknown_fields=true`, as dotted paths. */
  readonly ignoredFields: readonly string[];
  /** The request that applied it (its `seq` in the record). */
  readonly seq: number;
  /** Set when the update was applied again by retry-write of this (failed) job. */
  readonly retryOf?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type RecordEntry = Mutable<RecordedRequest>;

export type StatusCounts = Record<string, number>;
export type Counts = Record<Endpoint, StatusCounts> & { readonly total: number };

/**
 * The record is complete by default (tests read all of it). With a `limit` (the app's
 * practice simulator: a rehearsal of a 1,000,000-row file must not keep ~3 KB a request) it keeps
 * the last `limit` requests and applied updates, no per-lead lists, and counts the rest.
 */
export class Recorder {
  readonly requests: RecordEntry[] = [];
  readonly leads = new Map<string, AppliedUpdate[]>();
  private readonly appliedLog: (AppliedUpdate & { readonly leadId: string })[] = [];
  /** Requests dropped from a bounded record, by endpoint and status (as they were when dropped). */
  private dropped = new Map<Endpoint, StatusCounts>();
  private droppedTotal = 0;
  private opened = 0;

  constructor(private readonly limit: number | null = null) {}

  open(entry: Omit<RecordEntry, 'seq' | 'finishedAt' | 'status' | 'applied' | 'delayedMs'>): RecordEntry {
    const full: RecordEntry = { ...entry, seq: ++this.opened, finishedAt: null, status: 'in-flight', applied: false, delayedMs: 0 };
    this.requests.push(full);
    // Trimmed by halves, so that keeping the record bounded costs O(1) a request.
    if (this.limit !== null && this.requests.length >= this.limit * 2) {
      for (const old of this.requests.splice(0, this.requests.length - this.limit)) this.countDropped(old);
    }
    return full;
  }

  apply(leadId: string, update: AppliedUpdate): void {
    this.appliedLog.push({ ...update, leadId });
    if (this.limit !== null) {
      if (this.appliedLog.length >= this.limit * 2) this.appliedLog.splice(0, this.appliedLog.length - this.limit);
      return;
    }
    const list = this.leads.get(leadId);
    if (list) list.push(update);
    else this.leads.set(leadId, [update]);
  }

  clear(): void {
    this.requests.length = 0;
    this.leads.clear();
    this.appliedLog.length = 0;
    this.dropped = new Map();
    this.droppedTotal = 0;
    this.opened = 0;
  }

  private countDropped(entry: RecordEntry): void {
    const byStatus = this.dropped.get(entry.endpoint) ?? {};
    const key = String(entry.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    this.dropped.set(entry.endpoint, byStatus);
    this.droppedTotal++;
  }

  /** Every request about this lead (updates, in arrival order), applied or not (the last ones, when bounded). */
  updatesFor(leadId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === 'update-lead' && r.leadId === leadId);
  }

  /** Every applied update across leads, in the order applied. */
  appliedUpdates(): (AppliedUpdate & { readonly leadId: string })[] {
    return [...this.appliedLog];
  }

  /** Requests per endpoint and status, e.g. `counts()['update-lead']['200']`. */
  counts(): Counts {
    const counts = Object.fromEntries(
      [
        ...['update-lead', 'write-status', 'retry-write', 'write-logs', 'get-lead', 'unknown'],
        ...listEndpointNames.map((name) => `list-${name}`),
      ].map((e) => [e, {}]),
    ) as Record<Endpoint, StatusCounts>;
    for (const [endpoint, byStatus] of this.dropped) {
      for (const [key, n] of Object.entries(byStatus)) counts[endpoint][key] = (counts[endpoint][key] ?? 0) + n;
    }
    for (const r of this.requests) {
      const key = String(r.status);
      counts[r.endpoint][key] = (counts[r.endpoint][key] ?? 0) + 1;
    }
    return { ...counts, total: this.droppedTotal + this.requests.length };
  }
}
