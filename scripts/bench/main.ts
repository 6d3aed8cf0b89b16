/**
 * `npm run bench [-- --check]` (scripts/bench.sh builds first): sizes from the built files, then
 * one headless Chromium run against the sandbox for popup timings, the content script, the
 * connect flow and memory, and (with --firefox-build) one Firefox ESR run for what applies there:
 * sizes, popup paint and the connect flow. Prints a table, writes artifacts/bench.json; with
 * --check, exits 1 on any budget breach. See docs/performance.md.
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

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    maps: { type: 'string' },
    build: { type: 'string', default: '.output/chrome-mv3' },
    'firefox-build': { type: 'string' },
    opens: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '100' },
  },
});
const started = Date.now();
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

const modules = values.maps ? attributeBuild(values.maps) : {};

let facts: BenchFacts;
let chromium: Awaited<ReturnType<typeof measureConnect>>;
{
  const session = await openSession(build);
  try {
    facts = { sizes: measureBuild(build), popup: await popupFacts(session) };
    facts.contentScript = await measureContentScript(session.ext.browser, build);
    chromium = await measureConnect(session);
    facts.protocol = chromium.protocol;
    facts.memory = await measureMemory(session);
  } finally {
    await session.close();
  }
}

let firefox: Awaited<ReturnType<typeof measureConnect>> | undefined;
/** A Firefox run that could not finish is a breach; Chromium's results are reported all the same. */
let firefoxFailure: string | null = null;
if (values['firefox-build']) {
  const firefoxBuild = path.resolve(values['firefox-build']);
  facts.firefox = { sizes: measureBuild(firefoxBuild) };
  try {
    const session = await openSession(firefoxBuild, 'firefox');
    try {
      facts.firefox.popup = await popupFacts(session);
      firefox = await measureConnect(session);
      facts.firefox.protocol = firefox.protocol;
    } finally {
      await session.close();
    }
  } catch (error) {
    firefoxFailure = `Firefox: the run stopped: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const found = [
  ...breaches(facts),
  ...unsucceeded('', chromium.flow, chromium.doubled),
  ...(firefox ? unsucceeded('Firefox: ', firefox.flow, firefox.doubled) : []),
  ...(firefoxFailure ? [firefoxFailure] : []),
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
      breaches: found,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nbench.json: artifacts/bench.json; bench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(values.check && found.length > 0 ? 1 : 0);
