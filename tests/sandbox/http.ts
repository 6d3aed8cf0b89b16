// The handler contract shared by the fakes: a handler gets a parsed request and returns a response
// value; server.ts writes it. Returning a value (not writing to `res`) is what lets faults.ts run a
// handler and then drop its answer ("response lost"), and lets latency apply uniformly.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { BackgroundJobs } from './background-jobs.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxState } from './state.ts';

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** What a fake needs to call back into the sandbox over real HTTPS (Infisical → Entra / Azure DevOps). */
export interface SandboxEnv {
  port: number;
  caPem: string;
  /** Work done after an answer (Infisical's secret-sync jobs), which tests can wait for. */
  background: BackgroundJobs;
}

export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** Host header, lower-case, port stripped. */
  host: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Capture groups of the matched route pattern. */
  params: string[];
  state: SandboxState;
  config: SandboxConfig;
  env: SandboxEnv;
  /** Time spent waiting for the fakes' own calls into the sandbox (Infisical's credential check), in ms. */
  upstreamMs: number;
}

export type Handler = (ctx: RequestContext) => SandboxResponse | Promise<SandboxResponse>;
export interface Route {
  method: string | string[];
  pattern: RegExp;
  handler: Handler;
}

export const route = (method: string | string[], pattern: RegExp, handler: Handler): Route => ({ method, pattern, handler });

/** Runs the first route whose method and pattern match; null when none does. */
export async function dispatch(routes: Route[], ctx: RequestContext): Promise<SandboxResponse | null> {
  for (const r of routes) {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!methods.includes('*') && !methods.includes(ctx.method)) continue;
    const m = r.pattern.exec(ctx.path);
    if (!m) continue;
    ctx.params = m.slice(1).map((p) => (p === undefined ? '' : safeDecode(p)));
    return r.handler(ctx);
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const header = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export const bodyText = (ctx: RequestContext): string => ctx.rawBody.toString('utf8');

/** Parsed JSON body; `undefined` for an empty body, `null` (never thrown) for malformed JSON. */
export function bodyJson(ctx: RequestContext): unknown {
  const text = bodyText(ctx).trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export const bodyForm = (ctx: RequestContext): URLSearchParams => new URLSearchParams(bodyText(ctx));

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body };
}

export const redirect = (location: string, status = 302): SandboxResponse => ({
  status,
  headers: { location, 'content-type': 'text/html; charset=utf-8' },
  body: `<html><body>Object moved to <a href="${escapeHtml(location)}">here</a>.</body></html>`,
});

/** Escapes text and double-quoted attribute values (every attribute here uses double quotes). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** A minimal, readable HTML page (screenshots of test runs show these). */
export function page(title: string, bodyHtml: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:40px auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
button{font-size:16px;padding:6px 16px;margin-right:8px}</style></head>
<body>${bodyHtml}</body></html>`;
}
