/**
 * `npm run bench [-- --check]` (scripts/bench.sh builds first): sizes from the built files, then
 * one headless Chromium run against the sandbox for popup timings, the content script, the
 * connect flow and memory, and (with --firefox-build) one Firefox ESR run for what applies there:
 * sizes, popup paint and the connect flow. Then the connections (unless --skip-connections): in a
 * Chromium run of their own, the view with 300 connections against none and the expiry check's
 * CPU; in another, Renew all of 20 connections in 4 tenants (in Firefox too). Prints a table,
 * writes artifacts/bench.json; with --check, exits 1 on any budget breach. See docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { attributeBuild } from './attribution';
import { breaches, BUDGETS, type BenchFacts, type BrowserFacts } from './budgets';
import { measureContentScript } from './content-script';
import { measureFlows, measureMemory, type FlowResult } from './flow';
import { measurePopup } from './popup';
import { analyseRun } from './protocol';
import { printReport } from './report';
import { openSession, type BenchSession } from './session';
import { measureBuild } from './sizes';
import { measureViews } from './connections-view';
import { measureExpiryCheck } from './expiry-check';
import { measureRenewAll, type RenewRun } from './renew-all';
import type { RenewAllFacts } from './budgets';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    maps: { type: 'string' },
    build: { type: 'string', default: '.output/chrome-mv3' },
    'firefox-build': { type: 'string' },
    opens: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '100' },
    'skip-connections': { type: 'boolean', default: false },
    'view-opens': { type: 'string', default: '10' },
    'renew-runs': { type: 'string', default: '3' },
    'check-rounds': { type: 'string', default: '6' },
  },
});
const started = Date.now();
/** Seconds each part of the bench took, for docs/performance.md's account of the bench's time. */
const phaseSeconds: Record<string, number> = {};
const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    phaseSeconds[name] = Math.round((Date.now() - t0) / 100) / 10;
  }
};
const build = path.resolve(values.build);
const latencyMs = Number(values.latency);
if (!(latencyMs > 0)) throw new Error(`--latency must be a positive number of ms, not ${values.latency}`);

/** The flow at L and at 2L, and what the runs say against the protocol. */
async function measureConnect(session: BenchSession): Promise<{ flow: FlowResult; doubled: FlowResult; protocol: NonNullable<BrowserFacts['protocol']> }> {
  const runs = Number(values.runs);
  const flow = await measureFlows(session, runs, latencyMs);
  const doubled = await measureFlows(session, runs, 2 * latencyMs, { warmUp: false });
  // The run whose wall time is the median stands for the flow (an odd run count gives a real run).
  const byWall = [...flow.runs].sort((a, b) => a.wallMs - b.wallMs);
  const medianRun = byWall[Math.floor((byWall.length - 1) / 2)]!;
  const roundTrips = (doubled.medianWallMs - flow.medianWallMs) / latencyMs;
  return {
    flow,
    doubled,
    protocol: {
      ...analyseRun(medianRun, latencyMs),
      sequentialRoundTrips: flow.medianWallMs / latencyMs,
      fromSlope: { latencyMs: 2 * latencyMs, medianWallMs: doubled.medianWallMs, roundTrips, fixedMs: flow.medianWallMs - roundTrips * latencyMs },
    },
  };
}

/** The popup against the blank page, in the session's browser. */
async function popupFacts(session: BenchSession): Promise<BrowserFacts['popup']> {
  const popup = await measurePopup(session.ext, Number(values.opens));
  return { ...popup, ratio: popup.popup.firstContentfulPaintMs / popup.blank.firstContentfulPaintMs };
}

const unsucceeded = (label: string, ...results: FlowResult[]) => {
  const all = results.flatMap((r) => r.runs);
  const failed = all.filter((r) => r.outcome !== 'succeeded').length;
  return failed > 0 ? [`${label}${failed} of ${all.length} connect runs did not succeed`] : [];
};

/**
 * Renew all in a browser run of its own (connections-view's 300 would be listed, and some renewed,
 * too), at L, and in Chromium at 2L for the slope: the round trips it waits for, one after another.
 */
async function renewAllFacts(buildDir: string, name: 'chromium' | 'firefox'): Promise<{ facts: RenewAllFacts; runs: RenewRun[] }> {
  const runs = Number(values['renew-runs']);
  const session = await openSession(buildDir, name);
  try {
    const atL = await measureRenewAll(session, { runs, latencyMs });
    if (name === 'firefox') return { facts: atL.analysis, runs: atL.runs };
    const at2L = await measureRenewAll(session, { runs, latencyMs: 2 * latencyMs, reuse: true });
    const roundTrips = (at2L.analysis.medianWallMs - atL.analysis.medianWallMs) / latencyMs;
    return {
      facts: {
        ...atL.analysis,
        fromSlope: { latencyMs: 2 * latencyMs, medianWallMs: at2L.analysis.medianWallMs, roundTrips, fixedMs: atL.analysis.medianWallMs - roundTrips * latencyMs },
      },
      runs: [...atL.runs, ...at2L.runs],
    };
  } finally {
    await session.close();
  }
}

const modules = values.maps ? attributeBuild(values.maps) : {};

let facts: BenchFacts;
let chromium: Awaited<ReturnType<typeof measureConnect>>;
{
  const t0 = Date.now();
  const session = await openSession(build);
  try {
    facts = { sizes: measureBuild(build), popup: await popupFacts(session) };
    facts.contentScript = await measureContentScript(session.ext.browser, build);
    chromium = await measureConnect(session);
    facts.protocol = chromium.protocol;
    facts.memory = await measureMemory(session);
  } finally {
    await session.close();
    phaseSeconds['Chromium'] = Math.round((Date.now() - t0) / 100) / 10;
  }
}

/** A connections run that could not finish is a breach; what was measured before is reported. */
const connectionsFailures: string[] = [];
let renewRuns: RenewRun[] = [];
if (!values['skip-connections']) {
  try {
    const session = await openSession(build);
    try {
      facts.connections = { views: await timed('connections view', () => measureViews(session, Number(values['view-opens']))) };
      facts.connections.expiryCheck = await timed('expiry check', () => measureExpiryCheck(session, { rounds: Number(values['check-rounds']) }));
    } finally {
      await session.close();
    }
  } catch (error) {
    connectionsFailures.push(`connections view / expiry check: the run stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const renew = await timed('Renew all', () => renewAllFacts(build, 'chromium'));
    facts.renewAll = renew.facts;
    renewRuns = renew.runs;
  } catch (error) {
    connectionsFailures.push(`Renew all: the run stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

let firefox: Awaited<ReturnType<typeof measureConnect>> | undefined;
let firefoxRenewRuns: RenewRun[] = [];
/** A Firefox run that could not finish is a breach; Chromium's results are reported all the same. */
let firefoxFailure: string | null = null;
if (values['firefox-build']) {
  const firefoxBuild = path.resolve(values['firefox-build']);
  facts.firefox = { sizes: measureBuild(firefoxBuild) };
  try {
    await timed('Firefox', async () => {
      const session = await openSession(firefoxBuild, 'firefox');
      try {
        facts.firefox!.popup = await popupFacts(session);
        firefox = await measureConnect(session);
        facts.firefox!.protocol = firefox.protocol;
      } finally {
        await session.close();
      }
    });
  } catch (error) {
    firefoxFailure = `Firefox: the run stopped: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!values['skip-connections'] && !firefoxFailure) {
    try {
      const renew = await timed('Firefox: Renew all', () => renewAllFacts(firefoxBuild, 'firefox'));
      facts.firefox.renewAll = renew.facts;
      firefoxRenewRuns = renew.runs;
    } catch (error) {
      connectionsFailures.push(`Firefox: Renew all: the run stopped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

const found = [
  ...breaches(facts),
  ...unsucceeded('', chromium.flow, chromium.doubled),
  ...(firefox ? unsucceeded('Firefox: ', firefox.flow, firefox.doubled) : []),
  ...(firefoxFailure ? [firefoxFailure] : []),
  ...connectionsFailures,
];
printReport({ facts, modules, flow: chromium.flow, ...(firefox ? { firefoxFlow: firefox.flow } : {}), opens: Number(values.opens), breaches: found });

mkdirSync('artifacts', { recursive: true });
writeFileSync(
  'artifacts/bench.json',
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      budgets: BUDGETS,
      ...facts,
      modules,
      flow: chromium.flow,
      flowAtDoubleLatency: chromium.doubled,
      ...(firefox ? { firefoxFlow: firefox.flow, firefoxFlowAtDoubleLatency: firefox.doubled } : {}),
      // Each Renew all run with its request log (ms after the click), L then 2L.
      renewAllRuns: renewRuns,
      ...(firefoxRenewRuns.length ? { firefoxRenewAllRuns: firefoxRenewRuns } : {}),
      phaseSeconds,
      breaches: found,
    },
    null,
    2,
  )}\n`,
);
console.log(
  `\nbench.json: artifacts/bench.json; bench took ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.entries(phaseSeconds)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ')})`,
);
process.exit(values.check && found.length > 0 ? 1 : 0);
