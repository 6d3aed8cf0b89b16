// Test-only admin API on Host localhost / 127.0.0.1 under /__sandbox (the fakes never see it).
// GET state includes stored connection secrets on purpose: tests assert which PAT Infisical received.
import { bodyJson, json, type RequestContext, type SandboxResponse } from './http.ts';
import { faultFromJson, faultToJson, type Faults } from './faults.ts';
import { mergeConfig, type SandboxConfig } from './config.ts';
import { addSecretSync, deleteConnection, revokePat, seedConnections, seedVariableGroup, type SeedOptions, type VariableGroupSeed } from './seed.ts';
import type { SandboxState } from './state.ts';

export interface AdminControls {
  state: SandboxState;
  config: SandboxConfig;
  faults: Faults;
  latencyMs: number;
  setLatency(ms: number): void;
  advanceClock(ms: number): void;
  reset(): void;
  /** Waits for Infisical's queued secret-sync jobs (docs/contracts.md A.9). */
  syncsSettled(): Promise<void>;
}

const asObject = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export async function handleAdmin(ctx: RequestContext, s: AdminControls): Promise<SandboxResponse> {
  const p = ctx.path.replace(/\/+$/, '');
  const m = ctx.method;
  // Browser tests cannot call sb.syncsSettled(): this answers once every queued sync job has run.
  if (m === 'POST' && p === '/__sandbox/syncs-settled') {
    await s.syncsSettled();
    return json(200, { ok: true });
  }
  if (m === 'GET' && p === '/__sandbox/state') {
    return json(200, { state: s.state, config: s.config, faults: s.faults.list().map(faultToJson), latencyMs: s.latencyMs });
  }
  if (m === 'POST' && p === '/__sandbox/reset') {
    s.reset();
    return json(200, { ok: true });
  }
  if (m === 'GET' && p === '/__sandbox/config') return json(200, s.config);
  if (m === 'POST' && p === '/__sandbox/config') {
    mergeConfig(s.config, bodyJson(ctx));
    return json(200, s.config);
  }
  if (m === 'GET' && p === '/__sandbox/faults') return json(200, s.faults.list().map(faultToJson));
  if (m === 'POST' && p === '/__sandbox/faults') {
    const body = bodyJson(ctx);
    const specs = Array.isArray(body) ? body : [body];
    return json(200, { ids: specs.map((spec) => s.faults.add(faultFromJson(spec))) });
  }
  if (m === 'DELETE' && p === '/__sandbox/faults') {
    s.faults.clear();
    return json(200, { ok: true });
  }
  const one = /^\/__sandbox\/faults\/([^/]+)$/.exec(p);
  if (m === 'DELETE' && one) return json(200, { removed: s.faults.remove(one[1] ?? '') });
  if (m === 'POST' && p === '/__sandbox/latency') {
    s.setLatency(Number(asObject(bodyJson(ctx))['ms']) || 0);
    return json(200, { latencyMs: s.latencyMs });
  }
  if (m === 'POST' && p === '/__sandbox/clock') {
    s.advanceClock(Number(asObject(bodyJson(ctx))['advanceMs']) || 0);
    return json(200, { clockOffsetMs: s.state.clockOffsetMs });
  }
  // The seeding of tests/sandbox/seed.ts, for a sandbox in its own process (the bench's).
  const seeding = seed(ctx, s, p, m);
  if (seeding) return seeding;
  return json(404, {
    error: 'Unknown admin route',
    routes: [
      'GET state',
      'POST reset',
      'GET|POST config',
      'GET|POST|DELETE faults',
      'DELETE faults/:id',
      'POST latency',
      'POST clock',
      'POST seed',
      'POST pats/:authorizationId/revoke',
      'DELETE connections/:id',
      'POST secret-syncs',
      'POST variable-groups',
      'POST syncs-settled',
    ],
  });
}

/** Seeding routes; a refusal (an org that exists, an unknown id) is a 400 with the reason. */
function seed(ctx: RequestContext, s: AdminControls, p: string, m: string): SandboxResponse | null {
  const attempt = (run: () => unknown): SandboxResponse => {
    try {
      return json(200, run());
    } catch (e) {
      return json(400, { error: e instanceof Error ? e.message : String(e) });
    }
  };
  if (m === 'POST' && p === '/__sandbox/seed') {
    const b = asObject(bodyJson(ctx));
    const days = b['validForDays'];
    const options: SeedOptions = {
      ...(typeof b['connections'] === 'number' ? { connections: b['connections'] } : {}),
      ...(typeof b['orgs'] === 'number' ? { orgs: b['orgs'] } : {}),
      ...(typeof b['orgPrefix'] === 'string' ? { orgPrefix: b['orgPrefix'] } : {}),
      ...(Array.isArray(b['tenants']) ? { tenants: b['tenants'].map(String) } : {}),
      ...(typeof days === 'number' || Array.isArray(days) ? { validForDays: Array.isArray(days) ? days.map(Number) : days } : {}),
    };
    return attempt(() => seedConnections(s, options));
  }
  const revoke = /^\/__sandbox\/pats\/([^/]+)\/revoke$/.exec(p);
  if (m === 'POST' && revoke) return attempt(() => revokePat(s, decodeURIComponent(revoke[1] ?? '')));
  const connection = /^\/__sandbox\/connections\/([^/]+)$/.exec(p);
  if (m === 'DELETE' && connection) return attempt(() => deleteConnection(s, decodeURIComponent(connection[1] ?? '')));
  if (m === 'POST' && p === '/__sandbox/secret-syncs') {
    const b = asObject(bodyJson(ctx));
    return attempt(() => addSecretSync(s, String(b['connectionId'] ?? ''), typeof b['name'] === 'string' ? b['name'] : undefined));
  }
  if (m === 'POST' && p === '/__sandbox/variable-groups') return attempt(() => seedVariableGroup(s, asObject(bodyJson(ctx)) as unknown as VariableGroupSeed));
  return null;
}
