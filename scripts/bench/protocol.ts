/**
 * The connect flow against its protocol (docs/performance.md "Connect flow"): which requests it
 * cannot do without, the shortest chain of dependent round trips, and where the measured wall
 * time went beyond that chain.
 *
 * Needed requests (utils/flow/connect-with-microsoft.ts): Entra authorize (a navigation inside
 * launchWebAuthFlow) → token POST (plus a CORS preflight only if the browser sends one) → projects
 * check → PAT create → Infisical create; alongside the sign-in, Infisical login → name lookup.
 * The create depends on the PAT, the login and the lookup; the PAT on the token (and, by design,
 * on the check: no PAT is minted for an org the user cannot reach). Infisical validates the new
 * PAT against Azure DevOps before answering the create: one more round trip inside it.
 */
import type { FlowRun, LoggedRequest } from './flow';

interface Step {
  name: string;
  match: (r: LoggedRequest) => boolean;
}

const isEntra = (r: LoggedRequest) => r.host === 'login.microsoftonline.com';
const isInfisical = (r: LoggedRequest) => r.host === 'infisical.sandbox.test';

/** The sign-in branch, in dependency order: every step waits for the one before. */
export const CHAIN: Step[] = [
  { name: 'authorize', match: (r) => isEntra(r) && r.method === 'GET' && r.path.endsWith('/authorize') },
  { name: 'token preflight', match: (r) => isEntra(r) && r.method === 'OPTIONS' && r.path.endsWith('/token') },
  { name: 'token', match: (r) => isEntra(r) && r.method === 'POST' && r.path.endsWith('/token') },
  { name: 'projects check', match: (r) => !r.serverSide && r.host === 'dev.azure.com' && r.path.endsWith('/_apis/projects') },
  { name: 'PAT create', match: (r) => r.host === 'vssps.dev.azure.com' && r.method === 'POST' && r.path.endsWith('/_apis/tokens/pats') },
  { name: 'Infisical create', match: (r) => isInfisical(r) && r.method === 'POST' && /^\/api\/v1\/app-connections\/[^/]+$/.test(r.path) },
];

/** The branch that runs alongside the sign-in. */
export const PARALLEL: Step[] = [
  { name: 'Infisical login', match: (r) => isInfisical(r) && r.method === 'POST' && r.path.endsWith('/universal-auth/login') },
  { name: 'name lookup', match: (r) => isInfisical(r) && r.method === 'GET' && r.path.includes('/connection-name/') },
];

export interface ProtocolAnalysis {
  /** Requests the extension must make: 7 (6 with an Infisical token already held), plus the token preflight if sent. */
  minimumRequests: number;
  extensionRequests: number;
  /** Requests the extension made that are not in the needed list (repeats, extra calls). */
  extra: string[];
  preflightSent: boolean;
  /** Round trips made by the Infisical server inside the create (its PAT validation). */
  serverHops: number;
  /** Dependent round trips on the critical path: the sign-in branch + server hops. */
  minimumChain: number;
  /** wall / L. */
  sequentialRoundTrips: number;
  /**
   * The same flow at L and 2L: the slope of the median wall time is the number of round trips
   * the flow waits for one after another, whatever its fixed cost; the intercept is that fixed
   * cost (browser and extension work that does not grow with latency).
   */
  fromSlope?: { latencyMs: number; medianWallMs: number; roundTrips: number; fixedMs: number };
  /** Requests that finished before the sign-in's first request started: they delayed it. */
  aheadOfSignIn: string[];
  /** Where the time outside the round trips went, in ms. */
  breakdown: { stage: string; ms: number }[];
}

const label = (r: LoggedRequest) => `${r.method} ${r.host}${r.path}`;

export function analyseRun(run: FlowRun, latencyMs: number): ProtocolAnalysis {
  const own = run.requests.filter((r) => !r.serverSide);
  const preflightSent = own.some(CHAIN[1]!.match);
  // The login is needed only when the worker holds no valid Infisical token; the popup's name
  // lookup while the user typed (before the click) may already have logged in.
  const loginMade = own.some(PARALLEL[0]!.match);
  const needed = [...CHAIN.filter((s) => s.name !== 'token preflight' || preflightSent), ...PARALLEL.filter((s) => s.name !== 'Infisical login' || loginMade)];
  const used = new Set<LoggedRequest>();
  for (const step of needed) {
    const hit = own.find((r) => step.match(r) && !used.has(r));
    if (hit) used.add(hit);
  }
  const serverHops = run.requests.filter((r) => r.serverSide).length;
  const chain = CHAIN.map((s) => ({ name: s.name, r: own.find(s.match) })).filter((c): c is { name: string; r: LoggedRequest } => Boolean(c.r));

  // Time not spent waiting on the chain's own round trips: before the first, between, after.
  const breakdown: { stage: string; ms: number }[] = [];
  let cursor = 0;
  let previous = 'click';
  for (const { name, r } of chain) {
    breakdown.push({ stage: `${previous} → ${name} request`, ms: Math.round(r.startMs - cursor) });
    cursor = r.startMs + r.ms;
    previous = `${name} answer`;
  }
  breakdown.push({ stage: `${previous} → success shown`, ms: Math.round(run.wallMs - cursor) });

  const authorize = own.find(CHAIN[0]!.match);
  const aheadOfSignIn = authorize ? own.filter((r) => r.startMs + r.ms <= authorize.startMs + 1).map(label) : [];

  return {
    aheadOfSignIn,
    minimumRequests: needed.length,
    extensionRequests: own.length,
    extra: own.filter((r) => !used.has(r)).map(label),
    preflightSent,
    serverHops,
    minimumChain: CHAIN.length - (preflightSent ? 0 : 1) + serverHops,
    sequentialRoundTrips: run.wallMs / latencyMs,
    breakdown,
  };
}
