// The e2e harness's server, on 127.0.0.1: it serves the built renderer and answers the page's
// bridge with the REAL desktop service (app/desktop/service.ts: imports, runs, history, on a
// temp data dir and a fast practice simulator) plus the shell's stand-ins
// (shell-stand-in.ts). Requests go through main's own `registerHandlers` (main/ipc.ts), so
// every argument is decoded by the contract's codecs and every failure is a Result, exactly as
// in the app; the trusted-sender check becomes "the request comes from this page's origin".
//
// One difference from the app, on purpose and only here: the page is served with
// `connect-src 'self'` instead of `connect-src 'none'` (meta tag and header), because the
// injected bridge talks to this server with fetch and EventSource where the preload uses IPC.
// The built index.html on disk keeps 'none' (a test checks it).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { EventChannel, Handlers, PayloadOf } from '../../../app/shared/contract-kit.ts';
import { contract, type ImporterContract } from '../../../app/shared/contract.ts';
import { createDesktopService, type DesktopService, type DesktopServiceDeps } from '../../../app/desktop/service.ts';
import { registerHandlers, type InvokeEvent } from '../../../main/ipc.ts';
import { makeScrubber } from '../../../app/shared/redact.ts';
import { ShellStandIn } from './shell-stand-in.ts';

export interface HarnessOptions {
  /** The service's connection overrides (the fast practice simulator, tracking). */
  readonly connection?: DesktopServiceDeps['connection'];
  readonly servers?: DesktopServiceDeps['servers'];
  readonly batchIntervalMs?: number;
  /** Default: a new temp folder, removed by close(). */
  readonly dataDir?: string;
}

export interface Harness {
  readonly url: string;
  readonly dataDir: string;
  readonly shell: ShellStandIn;
  readonly service: DesktopService;
  /** Sends an event the shell would send (menu commands, files opened from outside). */
  emit<E extends EventChannel<ImporterContract>>(event: E, payload: PayloadOf<ImporterContract, E>): void;
  /** Requests answered, by channel. */
  readonly answered: Map<string, number>;
  /** Requests refused for coming from another origin. */
  readonly refused: number;
  /** When each 'run:update' left the service (performance.now() of this process). */
  readonly runUpdatesSentAt: readonly number[];
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The app's policy with connect-src opened to this server only (see the top of this file). */
export function harnessPolicy(html: string): { html: string; policy: string } {
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  if (match === null) throw new Error('the built index.html has no Content-Security-Policy meta tag');
  const original = match[1];
  if (!original.includes("connect-src 'none'")) throw new Error(`the built page's policy no longer says connect-src 'none': ${original}`);
  const policy = original.replace("connect-src 'none'", "connect-src 'self'");
  return { html: html.replace(original, policy), policy };
}

function readBody(request: IncomingMessage, limit = 8 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startHarness(rendererDir: string, options: HarnessOptions = {}): Promise<Harness> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'lead-importer-e2e-data-')));
  const shell = new ShellStandIn();
  const service = createDesktopService({
    dataDir,
    getToken: (environment) => shell.keyFor(environment),
    connection: options.connection,
    servers: options.servers,
    batchIntervalMs: options.batchIntervalMs,
    confirmProduction: (request) => shell.confirmProduction(request),
  });
  const handlers: Handlers<ImporterContract> = { ...shell.handlers(), ...service.handlers };

  let origin = '';
  let refused = 0;
  const answered = new Map<string, number>();
  const routes = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  registerHandlers(
    { handle: (channel, listener) => routes.set(channel, listener), removeHandler: (channel) => routes.delete(channel) },
    contract,
    handlers,
    {
      // main: our window, showing our page. Here: a request from this server's own page.
      isTrustedSender: (event) => event.senderFrame !== null && event.senderFrame.url === origin,
      scrub: makeScrubber(() => shell.secrets()),
      files: shell.fileGate,
    },
  );

  const clients = new Set<ServerResponse>();
  const runUpdatesSentAt: number[] = [];
  const broadcast = (event: string, payload: unknown): void => {
    if (event === 'run:update') runUpdatesSentAt.push(performance.now());
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const client of clients) client.write(frame);
  };
  const unsubscribe = service.subscribe((event, payload) => broadcast(event, payload));
  // As main does with a recent file the page chose: accepted for reading, then sent as opened.
  shell.onOpenRecent = (path) => {
    shell.openedFromOutside(path);
    broadcast('file:opened', { path });
  };

  const { html, policy } = harnessPolicy(await readFile(join(rendererDir, 'index.html'), 'utf8'));

  async function invoke(request: IncomingMessage, response: ServerResponse, channel: string): Promise<void> {
    const route = routes.get(channel);
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse((await readBody(request)) || '{}') as { arg?: unknown };
    const event: InvokeEvent = { sender: { id: 1 }, senderFrame: { url: request.headers.origin ?? '', parent: null } };
    if (request.headers.origin !== origin) refused++;
    const result = await route(event, body.arg);
    answered.set(channel, (answered.get(channel) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  }

  async function serveFile(response: ServerResponse, path: string): Promise<void> {
    const full = normalize(join(rendererDir, path));
    if (!full.startsWith(rendererDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const bytes = await readFile(full);
      response
        .writeHead(200, { 'content-type': TYPES[extname(full)] ?? 'application/octet-stream', 'content-security-policy': policy })
        .end(bytes);
    } catch {
      response.writeHead(404).end();
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const handle = async (): Promise<void> => {
      if (request.method === 'POST' && url.pathname.startsWith('/__bridge/invoke/')) {
        await invoke(request, response, decodeURIComponent(url.pathname.slice('/__bridge/invoke/'.length)));
      } else if (request.method === 'GET' && url.pathname === '/__bridge/events') {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        response.write(': connected\n\n');
        clients.add(response);
        request.on('close', () => clients.delete(response));
      } else if (request.method === 'GET' && url.pathname === '/favicon.ico') {
        // Chromium asks for one; the app (file://) never does.
        response.writeHead(204).end();
      } else if (request.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        response
          .writeHead(200, { 'content-type': TYPES['.html'], 'content-security-policy': policy, 'cache-control': 'no-store' })
          .end(html);
      } else if (request.method === 'GET') {
        await serveFile(response, url.pathname);
      } else {
        response.writeHead(405).end();
      }
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    dataDir,
    shell,
    service,
    answered,
    runUpdatesSentAt,
    get refused() {
      return refused;
    },
    emit: (event, payload) => {
      // As main does with a file given from outside: readable from now on.
      if (event === 'file:opened') shell.openedFromOutside((payload as PayloadOf<ImporterContract, 'file:opened'>).path);
      broadcast(event, payload);
    },
    async close() {
      unsubscribe();
      await service.close();
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
