// HTTPS client for talking to the sandbox the way a browser does: connect to 127.0.0.1:<port>, but
// present the real hostname in SNI and Host, and trust the sandbox's test CA. Used by the sandbox's
// own tests, by other tests, and by the fake Infisical to call the fake Entra / Azure DevOps.
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; URLSearchParams as a form; anything else as JSON. */
  body?: string | URLSearchParams | object;
  timeoutMs?: number;
}

export interface SandboxHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed body; throws when the body is not JSON. */
  json<T = any>(): T;
  /** Redirect target parsed as a URL (302 answers), or null. */
  location: URL | null;
}

export interface Target {
  port: number;
  caPem: string;
  host?: string;
  /** Keep connections open between requests (a server calling another, as real ones do); default: one connection per request. */
  agent?: https.Agent;
}

/** One request over real TLS; never follows redirects (tests inspect them). */
export function httpsRequest(target: Target, url: string, init: SandboxRequestInit = {}): Promise<SandboxHttpResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...init.headers };
  let payload: string | undefined;
  if (init.body instanceof URLSearchParams) {
    payload = init.body.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (typeof init.body === 'string') {
    payload = init.body;
  } else if (init.body !== undefined) {
    payload = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.host ?? '127.0.0.1',
        port: target.port,
        method: init.method ?? 'GET',
        path: `${u.pathname}${u.search}`,
        servername: u.hostname === '127.0.0.1' ? undefined : u.hostname,
        ca: target.caPem,
        headers: { host: u.hostname, ...headers },
        agent: target.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const loc = res.headers.location;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
            location: loc ? new URL(loc, u) : null,
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(init.timeoutMs ?? 15_000, () => req.destroy(new Error(`Request to ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `fetch`-like helper for tests: `sandboxFetch(sandbox, 'https://dev.azure.com/contoso', {...})`. */
export function sandboxFetch(sandbox: { port: number; caPem: string }, url: string, init?: SandboxRequestInit): Promise<SandboxHttpResponse> {
  return httpsRequest({ port: sandbox.port, caPem: sandbox.caPem }, url, init);
}
