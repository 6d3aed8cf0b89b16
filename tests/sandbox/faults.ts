// Fault injection: a matching fault applies before the normal handler. Modes:
//   respond            answer with status/body/headers (default when `status` is given)
//   pass               only delay and/or add headers, then run the real handler (default otherwise)
//   hang               never answer (socket stays open until close())
//   reset              destroy the socket without answering
//   after-handler-hang / after-handler-reset
//                      run the real handler (state changes!) then never answer / destroy the socket:
//                      the "response lost" case, e.g. a PAT created but the client never saw it.
import { json, type SandboxResponse } from './http.ts';

export type FaultMode = 'respond' | 'pass' | 'hang' | 'reset' | 'after-handler-hang' | 'after-handler-reset';

export interface FaultSpec {
  host?: string;
  method?: string;
  /** A string matches when the request path starts with it (case-insensitive); a RegExp is tested on the path. */
  path?: RegExp | string;
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
  mode?: FaultMode;
}

export interface Fault extends FaultSpec {
  id: string;
  hits: number;
}

export class Faults {
  private readonly faults: Fault[] = [];
  private next = 1;

  /** Adds a fault; returns its id (for `remove`). */
  add(spec: FaultSpec): string {
    const id = `fault-${this.next++}`;
    this.faults.push({ ...spec, id, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i >= 0) this.faults.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  /** First matching fault, counted as used; exhausted faults are removed. */
  match(host: string, method: string, path: string): Fault | null {
    const f = this.faults.find(
      (x) =>
        (!x.host || x.host.toLowerCase() === host) &&
        (!x.method || x.method.toUpperCase() === method) &&
        (x.path === undefined || (typeof x.path === 'string' ? path.toLowerCase().startsWith(x.path.toLowerCase()) : x.path.test(path))),
    );
    if (!f) return null;
    f.hits += 1;
    if (f.times !== undefined && f.hits >= f.times) this.remove(f.id);
    return f;
  }
}

export const modeOf = (f: FaultSpec): FaultMode => f.mode ?? (f.status !== undefined ? 'respond' : 'pass');

export function faultResponse(f: FaultSpec): SandboxResponse {
  const status = f.status ?? 500;
  if (typeof f.body === 'string') return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...f.headers }, body: f.body };
  return json(status, f.body ?? { message: 'Fault injected by the sandbox' }, f.headers);
}

/** JSON form used by the admin API: `pathRegex` (a RegExp source) or `path` (a prefix). */
export function faultFromJson(raw: unknown): FaultSpec {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { pathRegex, ...rest } = o;
  const spec = rest as FaultSpec;
  if (typeof pathRegex === 'string') spec.path = new RegExp(pathRegex);
  return spec;
}

export const faultToJson = (f: Fault) => ({ ...f, path: f.path instanceof RegExp ? `/${f.path.source}/${f.path.flags}` : f.path });
