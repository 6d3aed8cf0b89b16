// One HTTPS server impersonating Entra, Azure DevOps and Infisical, routed by the Host header (the
// browser maps the real hostnames to 127.0.0.1:<port>; docs/browsers.md). Pipeline per request:
// admin API → fault → fake → global latency → write + request log.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleAdmin, type AdminControls } from './admin.ts';
import { handleAzureDevOps } from './azure-devops.ts';
import { BackgroundJobs } from './background-jobs.ts';
import { ensureCerts } from './certs.ts';
import { defaultConfig, mergeConfig, replaceConfig, type DeepPartial, type SandboxConfig } from './config.ts';
import { handleEntra } from './entra.ts';
import { Faults, faultResponse, modeOf } from './faults.ts';
import { ADMIN_HOSTS, ELSEWHERE_HOST, MARKETPLACE_HOST, OTHER_INFISICAL, SANDBOX_HOSTS } from './fixtures.ts';
import { handleElsewhere } from './elsewhere.ts';
import { html, page, type RequestContext, type SandboxEnv, type SandboxResponse } from './http.ts';
import { handleInfisical } from './infisical.ts';
import { createState, reset as resetState, type RequestLog, type SandboxState } from './state.ts';

export interface SandboxOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: '127.0.0.1';
  latencyMs?: number;
  certDir?: string;
  config?: DeepPartial<SandboxConfig>;
}

export interface Sandbox {
  readonly port: number;
  readonly caPem: string;
  readonly caPath: string;
  readonly hosts: string[];
  readonly state: SandboxState;
  readonly config: SandboxConfig;
  readonly faults: Faults;
  readonly requests: RequestLog[];
  readonly latencyMs: number;
  setLatency(ms: number): void;
  /** Moves the fakes' clock forward (codes, tokens and PATs expire without waiting). */
  advanceClock(ms: number): void;
  /** Back to the start: state, config (as passed to startSandbox), faults and latency. */
  reset(): void;
  /**
   * Resolves when Infisical's queued secret-sync jobs have all run (docs/contracts.md A.9): after
   * it, each sync's `syncStatus` / `removeStatus` is final and Azure DevOps holds the outcome.
   */
  syncsSettled(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function route(ctx: RequestContext): Promise<SandboxResponse> | SandboxResponse {
  if (ctx.host === 'login.microsoftonline.com') return handleEntra(ctx);
  if (ctx.host === 'infisical.sandbox.test' || ctx.host === OTHER_INFISICAL.host) return handleInfisical(ctx);
  if (ctx.host === ELSEWHERE_HOST) return handleElsewhere(ctx);
  // One of Microsoft's own sites under *.visualstudio.com: a page the content script must leave alone.
  if (ctx.host === MARKETPLACE_HOST)
    return html(200, page('Visual Studio Marketplace', '<h1>Visual Studio Marketplace</h1><p id="marketplace">Extensions for Visual Studio, VS Code and Azure DevOps.</p>'));
  if (ctx.host === 'dev.azure.com' || ctx.host === 'vssps.dev.azure.com' || ctx.host.endsWith('.visualstudio.com')) return handleAzureDevOps(ctx);
  return { status: 421, headers: { 'content-type': 'text/plain' }, body: `The sandbox does not serve host '${ctx.host}'.` };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function write(req: IncomingMessage, res: ServerResponse, r: SandboxResponse): void {
  res.writeHead(r.status, r.headers);
  res.end(req.method === 'HEAD' || r.status === 204 ? undefined : r.body);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const certs = ensureCerts(options.certDir);
  const initialConfig = mergeConfig(defaultConfig(), options.config ?? {});
  const config = structuredClone(initialConfig);
  const state = createState(config);
  const faults = new Faults();
  const env: SandboxEnv = { port: 0, caPem: certs.caPem, background: new BackgroundJobs() };
  let latencyMs = options.latencyMs ?? 0;
  const sockets = new Set<Socket>();

  const controls: AdminControls = {
    state,
    config,
    faults,
    get latencyMs() {
      return latencyMs;
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    advanceClock: (ms) => {
      state.clockOffsetMs += ms;
    },
    reset: () => {
      replaceConfig(config, initialConfig);
      resetState(state, config);
      faults.clear();
      latencyMs = options.latencyMs ?? 0;
    },
    syncsSettled: () => env.background.settled(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const rawBody = await readBody(req);
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const ctx: RequestContext = {
      req,
      method,
      host,
      url,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      params: [],
      state,
      config,
      env,
      upstreamMs: 0,
    };
    const log = (status: number, fault?: string) => {
      const auth = /^(\S+)\s/.exec(String(req.headers.authorization ?? ''))?.[1]?.toLowerCase() ?? null;
      state.requests.push({
        at: new Date().toISOString(),
        host,
        method,
        path: url.pathname,
        query: url.search,
        auth,
        status,
        ms: Math.round(performance.now() - started),
        ...(fault ? { fault } : {}),
      });
    };
    if ((ADMIN_HOSTS as readonly string[]).includes(host)) {
      // The admin API is not subject to faults or latency, and not logged.
      write(
        req,
        res,
        url.pathname.startsWith('/__sandbox') ? await handleAdmin(ctx, controls) : { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Admin API lives under /__sandbox/' },
      );
      return;
    }
    const fault = faults.match(host, method, url.pathname);
    if (fault?.delayMs) await sleep(fault.delayMs);
    const mode = fault ? modeOf(fault) : null;
    if (mode === 'hang' || mode === 'reset') {
      log(0, `${fault?.id}:${mode}`);
      if (mode === 'reset') req.socket.destroy();
      return;
    }
    let response = mode === 'respond' && fault ? faultResponse(fault) : await route(ctx);
    if (mode === 'pass' && fault?.headers) response = { ...response, headers: { ...response.headers, ...fault.headers } };
    if (mode === 'after-handler-hang' || mode === 'after-handler-reset') {
      log(0, `${fault?.id}:${mode}`);
      if (mode === 'after-handler-reset') req.socket.destroy();
      return;
    }
    // The answer leaves L after the request arrived, plus any fault delay and the time spent on the
    // fakes' own upstream calls (which carry their own L): the fakes' processing counts as part of
    // L, as a real server's does, so a chain of n round trips takes n·L and whatever a client
    // measures beyond that is its own (docs/performance.md).
    const ownMs = performance.now() - started - (fault?.delayMs ?? 0) - ctx.upstreamMs;
    if (latencyMs > ownMs) await sleep(latencyMs - ownMs);
    write(req, res, response);
    log(response.status, fault ? `${fault.id}:${mode}` : undefined);
  }

  const server = https.createServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Sandbox error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
  });
  // Real front ends (Azure Front Door, Cloudflare) keep idle connections for minutes; Node's 5 s
  // default would make every flow pay TLS handshakes that real users do not.
  server.keepAliveTimeout = 120_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {
    /* clients that distrust the CA just disconnect */
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  env.port = typeof address === 'object' && address ? address.port : 0;

  return {
    port: env.port,
    caPem: certs.caPem,
    caPath: certs.caPath,
    hosts: [...SANDBOX_HOSTS],
    state,
    config,
    faults,
    get requests() {
      return state.requests;
    },
    get latencyMs() {
      return latencyMs;
    },
    setLatency: controls.setLatency,
    advanceClock: controls.advanceClock,
    reset: controls.reset,
    syncsSettled: controls.syncsSettled,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
