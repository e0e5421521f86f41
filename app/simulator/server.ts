// The practice Propexo: a real HTTP server on 127.0.0.1 that answers like the API does,
// including its rate limit and the failures clients must survive, and records everything so
// tests can assert exactly what arrived and what was applied.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { setMaxListeners } from 'node:events';
import { FaultInjector, type ForcedFault, type UpdateFault } from './faults.ts';
import {
  existsOutsideSeed,
  handleGetLead,
  handleList,
  handleRetryWrite,
  handleUnknown,
  handleUpdateLead,
  handleWriteLogs,
  handleWriteStatus,
  type HandlerContext,
  type ParsedBody,
} from './handlers.ts';
import { JobStore, type Job } from './job-store.ts';
import { defaultOptions, resolveOptions, SimulatorOptionsError, type ServerErrorStatus, type SimulatorOptions } from './options.ts';
import { isReadEndpoint, Recorder, type AppliedUpdate, type Counts, type RecordedRequest, type RecordEntry } from './record.ts';
import { LeadState, LeadStateError, type SettledJob } from './lead-state.ts';
import { SeedWorld, type JsonValue } from './seed-data.ts';
import { errorReply, type Reply } from './replies.ts';
import { matchRoute, type Route } from './routes.ts';
import { FixedRateWindow, type RateBudget } from './rate-window.ts';
import type { WriteStatusOutput } from './wire.ts';

/** Larger bodies are refused with 413 (a lead update is a few hundred bytes). */
const MAX_BODY_BYTES = 1_000_000;

export interface SimulatorEnvironment {
  /** The clock (ms). Job pending times, rate windows and the record's times read it. */
  readonly now?: () => number;
  /**
   * How answers are delayed (latency, slowdown): resolves after `ms` of that clock, rejects once
   * `signal` aborts. Default: real timers. A test gives it the same clock as the client, so both
   * sides of a rate window live in one time that a busy machine cannot skew.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Keep only the last this many requests and applied updates in the record (and no per-lead
   * lists in `leads`); `counts()` still counts every request. Default: keep everything.
   */
  readonly recordLimit?: number;
  /**
   * Keep about this many jobs (the oldest finished ones forgotten: write status and retry then
   * answer 404, the write logs leave them out) and the changes of this many leads (the least
   * recently changed then show their seeded values): see job-store.ts, lead-state.ts. Default:
   * keep everything.
   */
  readonly stateLimit?: number;
  /** Called once per request when its answer is sent or its connection cut (the CLI logs with it). */
  readonly onFinished?: (request: RecordedRequest) => void;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:53124` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The options in force now. */
  readonly options: Readonly<SimulatorOptions>;
  /** Every request, in arrival order. */
  readonly record: readonly RecordedRequest[];
  /** Lead id → the updates applied to it (with job id and time), in the order applied. */
  readonly leads: ReadonlyMap<string, readonly AppliedUpdate[]>;
  /** Every job created, by id (updates and retries). */
  readonly jobs: ReadonlyMap<string, Job>;
  /** Changes behaviour from now on (e.g. require a token, start a storm); throws on invalid options. */
  configure(patch: Partial<SimulatorOptions>): void;
  /** Forgets requests, updates, jobs, the rate window and queued faults; restores the start options. */
  reset(): void;
  /** Forces faults onto the next lead updates that get past auth and the rate limit, one each, in order. */
  queueFaults(...faults: readonly ForcedFault[]): void;
  /** Ends the PENDING time of every job now. */
  settleJobs(): void;
  /** What write status would answer for this job now (no request, not counted). */
  jobStatus(jobId: string): WriteStatusOutput | undefined;
  /** Lead updates that arrived for this lead, applied or not, in arrival order. */
  updatesFor(leadId: string): RecordedRequest[];
  /** Every applied update, in the order applied. */
  appliedUpdates(): (AppliedUpdate & { readonly leadId: string })[];
  /** The seeded data the read endpoints answer from (see seed-data.ts). */
  readonly world: SeedWorld;
  /** The lead as `GET /v1/leads/{id}` would show it now (no request, not counted); undefined if it does not exist. */
  lead(leadId: string): Readonly<Record<string, JsonValue>> | undefined;
  /**
   * Changes a lead "behind the importer's back", as someone working in the PMS would: `patch`
   * uses the lead's (GET) field names. Throws for a lead that does not exist or a field it has not.
   */
  changeLead(leadId: string, patch: Readonly<Record<string, JsonValue>>): void;
  /** Requests per endpoint and status: `counts()['update-lead']['429']`. */
  counts(): Counts;
  close(): Promise<void>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time comparison of the presented bearer token with the expected one. */
function isAuthorized(header: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1].trim()), digest(token));
}

function readBody(req: IncomingMessage): Promise<{ readonly text: string } | { readonly tooLarge: true }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve(tooLarge ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
    // A client that hangs up mid-body: the request ends unanswered (recorded as dropped).
    req.on('close', () => {
      if (!ended) reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
}

const settledForLeads = (settled: readonly Job[]): SettledJob[] =>
  settled.map((job) => ({ leadId: job.leadId, body: job.body, status: job.outcome.status, skippedFields: job.skippedFields ?? [] }));

/** Every random decision about a request, drawn the moment it arrives (see faults.ts). */
interface Draws {
  readonly latencyMs: number;
  readonly spike: boolean;
  readonly updateFault: UpdateFault;
  readonly adminFault: ServerErrorStatus | null;
}

export async function startSimulator(options: Partial<SimulatorOptions> = {}, environment: SimulatorEnvironment = {}): Promise<Simulator> {
  const now = environment.now ?? Date.now;
  const delay = environment.sleep ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  const initialOptions = resolveOptions(defaultOptions, options);
  let current = initialOptions;
  let startedAt = now();
  let stormUntil = current.storm ? startedAt + current.storm.durationMs : 0;

  const recorder = new Recorder(environment.recordLimit ?? null);
  const stateLimit = environment.stateLimit ?? null;
  // Forgotten jobs are taken into lead state first (read at call time: reset() replaces it).
  const jobs = new JobStore(
    now,
    stateLimit === null ? null : { limit: stateLimit, takeIn: (settled) => leadState.settle(settledForLeads(settled)) },
  );
  const faults = new FaultInjector(current.seed);
  const rateWindow = new FixedRateWindow(now);
  const worldOf = (o: SimulatorOptions): SeedWorld => new SeedWorld({ data: o.data, integrationId: o.integrationId, vendor: o.vendor });
  let world = worldOf(current);
  let leadState = new LeadState(world, now, stateLimit);
  /** Lead state takes in the jobs finished by now: before any read, so reads see what succeeded. */
  const currentLeads = (): LeadState => {
    leadState.settle(settledForLeads(jobs.takeSettled()));
    return leadState;
  };
  const leadNow = (leadId: string): Readonly<Record<string, JsonValue>> | undefined => {
    const exists =
      world.indexOfLeadId(leadId) !== undefined ? !current.missingLeadIds.includes(leadId) : existsOutsideSeed(current, leadId);
    return exists ? currentLeads().current(leadId, true) : undefined;
  };
  // Aborted on close, so delayed answers do not keep the process alive. Every delayed answer
  // listens to it (hundreds at once under load): not a leak, so no warning on stderr.
  const closingController = (): AbortController => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  };
  let closing = closingController();

  const budget = (): RateBudget => ({ limit: current.rateLimit, windowMs: current.windowMs, slowdownFrom: current.slowdownFrom });
  const sinceStart = (): number => now() - startedAt;

  function draw(route: Route): Draws {
    const latency = faults.latency(current);
    const updateFault: UpdateFault = route.endpoint === 'update-lead' ? faults.forUpdate(current) : { kind: 'none' };
    const adminFault =
      route.endpoint === 'write-status' || route.endpoint === 'retry-write' || route.endpoint === 'write-logs'
        ? faults.forAdmin(current)
        : isReadEndpoint(route.endpoint)
          ? faults.forRead(current)
          : null;
    return { latencyMs: latency.ms, spike: latency.spike, updateFault, adminFault };
  }

  function finish(entry: RecordEntry): void {
    entry.finishedAt = sinceStart();
    environment.onFinished?.(entry);
  }

  function send(res: ServerResponse, entry: RecordEntry, reply: Reply, remaining: number, retryAfterSeconds?: number): void {
    if (res.destroyed || res.socket === null || res.socket.destroyed) entry.clientGone = true;
    if (reply.kind === 'drop') {
      entry.status = 'dropped';
      finish(entry);
      res.socket?.destroy();
      return;
    }
    res.setHeader('x-ratelimit-limit', String(current.rateLimit));
    res.setHeader('x-ratelimit-remaining', String(remaining));
    if (retryAfterSeconds !== undefined && current.sendRetryAfter) res.setHeader('retry-after', String(retryAfterSeconds));
    entry.status = reply.status;
    if (reply.kind === 'json') {
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (!isReadEndpoint(entry.endpoint)) entry.response = reply.body;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.statusCode = reply.status;
      finish(entry);
      res.end(JSON.stringify(reply.body));
    } else {
      entry.response = reply.text;
      res.setHeader('content-type', reply.contentType);
      res.statusCode = reply.status;
      finish(entry);
      res.end(reply.text);
    }
  }

  function route(
    ctx: HandlerContext,
    target: Route,
    search: URLSearchParams,
    body: ParsedBody,
    draws: Draws,
    method: string,
    path: string,
  ): Reply {
    if ('list' in target) return handleList(ctx, target.list, search, draws.adminFault);
    switch (target.endpoint) {
      case 'update-lead':
        return handleUpdateLead(ctx, target.leadId, search, body, draws.updateFault);
      case 'write-status':
        return handleWriteStatus(ctx, target.jobId, draws.adminFault);
      case 'retry-write':
        return handleRetryWrite(ctx, target.jobId, draws.adminFault);
      case 'write-logs':
        return handleWriteLogs(ctx, search, draws.adminFault);
      case 'get-lead':
        return handleGetLead(ctx, target.leadId, draws.adminFault);
      case 'unknown':
        return handleUnknown(method, path);
    }
  }

  /** Opens the record entry at arrival (synchronously, so the record keeps arrival order). */
  function arrive(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => undefined); // the client may be gone; nothing to tell it
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const target = matchRoute(method, url.pathname);
    const entry = recorder.open({
      at: sinceStart(),
      method,
      path: url.pathname,
      search: url.search,
      endpoint: target.endpoint,
      ...(target.endpoint === 'update-lead' || target.endpoint === 'get-lead' ? { leadId: target.leadId } : {}),
      ...(target.endpoint === 'write-status' || target.endpoint === 'retry-write' ? { jobId: target.jobId } : {}),
    });
    const draws = draw(target);
    answer(req, res, entry, { method, url, target, draws, signal: closing.signal }).catch(() => {
      // Aborted by close() or a broken connection: the request ends unanswered.
      if (entry.status === 'in-flight') {
        entry.status = 'dropped';
        finish(entry);
      }
      res.socket?.destroy();
    });
  }

  interface Arrival {
    readonly method: string;
    readonly url: URL;
    readonly target: Route;
    readonly draws: Draws;
    readonly signal: AbortSignal;
  }

  async function answer(req: IncomingMessage, res: ServerResponse, entry: RecordEntry, arrival: Arrival): Promise<void> {
    const { method, url, target, draws, signal } = arrival;
    const read = await readBody(req);
    if ('tooLarge' in read) {
      send(
        res,
        entry,
        errorReply(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`),
        rateWindow.peek(budget()).remaining,
      );
      return;
    }
    const body = parseBody(read.text);
    if (body.kind === 'json') entry.body = body.value;
    else if (body.kind === 'invalid') entry.bodyText = read.text;

    const wait = async (ms: number): Promise<void> => {
      entry.delayedMs += ms;
      if (ms > 0) await delay(ms, signal);
    };

    // The edge refuses everything during a storm, before auth or the customer's budget.
    const at = now();
    if (at < stormUntil) {
      entry.fault = 'storm';
      await wait(draws.latencyMs);
      const retryAfter = Math.max(1, Math.ceil((stormUntil - at) / 1000));
      send(res, entry, errorReply(429, 'rate_limited', 'Too many requests, slow down'), rateWindow.peek(budget()).remaining, retryAfter);
      return;
    }
    if (!isAuthorized(req.headers.authorization, current.token)) {
      await wait(draws.latencyMs);
      send(res, entry, errorReply(401, 'unauthorized', 'Missing or invalid API key'), rateWindow.peek(budget()).remaining);
      return;
    }
    const verdict = rateWindow.take(budget());
    if (!verdict.allowed) {
      await wait(draws.latencyMs);
      const retryAfter = Math.max(1, Math.ceil(verdict.resetInMs / 1000));
      const message = `Rate limit of ${current.rateLimit} requests per ${current.windowMs / 1000} s exceeded`;
      send(res, entry, errorReply(429, 'rate_limited', message), 0, retryAfter);
      return;
    }
    if (draws.spike) entry.fault = 'latency-spike';
    await wait(draws.latencyMs + (verdict.slow ? current.slowdownMs : 0));

    const ctx: HandlerContext = {
      options: current,
      jobs,
      recorder,
      entry,
      sinceStart,
      world,
      leadState: isReadEndpoint(target.endpoint) ? currentLeads() : leadState,
    };
    const updateFault = target.endpoint === 'update-lead' ? (faults.takeQueued(current) ?? draws.updateFault) : draws.updateFault;
    send(res, entry, route(ctx, target, url.searchParams, body, { ...draws, updateFault }, method, url.pathname), verdict.remaining);
  }

  const server: Server = createServer(arrive);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(current.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const simulator: Simulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    get options() {
      return current;
    },
    record: recorder.requests,
    leads: recorder.leads,
    get jobs() {
      return jobs.all;
    },
    configure(patch) {
      if (patch.port !== undefined && patch.port !== port)
        throw new SimulatorOptionsError(['the port cannot change while the simulator runs']);
      const next = resolveOptions(current, patch);
      if (patch.seed !== undefined) faults.reseed(next.seed);
      if ('storm' in patch) stormUntil = next.storm ? now() + next.storm.durationMs : 0;
      const newWorld = patch.data !== undefined || patch.integrationId !== undefined || patch.vendor !== undefined;
      current = next;
      if (newWorld) {
        // Another world: the old one's changes would name leads and references it does not have.
        world = worldOf(current);
        leadState = new LeadState(world, now, stateLimit);
      }
    },
    reset() {
      current = initialOptions;
      recorder.clear();
      jobs.clear();
      rateWindow.reset();
      faults.clear();
      faults.reseed(current.seed);
      world = worldOf(current);
      leadState = new LeadState(world, now, stateLimit);
      startedAt = now();
      stormUntil = current.storm ? startedAt + current.storm.durationMs : 0;
    },
    queueFaults(...forced) {
      faults.queue(forced);
    },
    settleJobs() {
      jobs.settleAll();
    },
    jobStatus(jobId) {
      return jobs.writeStatus(jobId);
    },
    updatesFor(leadId) {
      return recorder.updatesFor(leadId);
    },
    appliedUpdates() {
      return recorder.appliedUpdates();
    },
    counts() {
      return recorder.counts();
    },
    get world() {
      return world;
    },
    lead(leadId) {
      return leadNow(leadId);
    },
    changeLead(leadId, patch) {
      if (leadNow(leadId) === undefined) throw new LeadStateError(`No lead '${leadId}' to change`);
      leadState.change(leadId, patch);
    },
    close() {
      closing.abort();
      closing = closingController();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return simulator;
}
