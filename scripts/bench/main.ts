/**
 * `npm run bench [-- --check]` (scripts/bench.sh builds first): sizes from the built files, then
 * one headless Chromium run against the sandbox for popup timings, the content script, the
 * connect flow and memory. Prints a table, writes artifacts/bench.json; with --check, exits 1 on
 * any budget breach. See docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { attributeBuild } from './attribution';
import { breaches, BUDGETS, type BenchFacts } from './budgets';
import { measureContentScript } from './content-script';
import { measureFlows, measureMemory } from './flow';
import { measurePopup } from './popup';
import { analyseRun } from './protocol';
import { printReport } from './report';
import { openSession } from './session';
import { measureBuild } from './sizes';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    maps: { type: 'string' },
    build: { type: 'string', default: '.output/chrome-mv3' },
    opens: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '100' },
  },
});
const started = Date.now();
const build = path.resolve(values.build);
const latencyMs = Number(values.latency);
if (!(latencyMs > 0)) throw new Error(`--latency must be a positive number of ms, not ${values.latency}`);

const facts: BenchFacts = { sizes: measureBuild(build) };
const modules = values.maps ? attributeBuild(values.maps) : {};

const session = await openSession(build);
let flowRuns;
let doubled;
try {
  const { browser } = session.chromium;
  const popup = await measurePopup(browser, session.base, Number(values.opens));
  facts.popup = { ...popup, ratio: popup.popup.firstContentfulPaintMs / popup.blank.firstContentfulPaintMs };
  facts.contentScript = await measureContentScript(browser, build);
  flowRuns = await measureFlows(session, Number(values.runs), latencyMs);
  doubled = await measureFlows(session, Number(values.runs), 2 * latencyMs, { warmUp: false });
  facts.memory = await measureMemory(session);
} finally {
  await session.close();
}

// The run whose wall time is the median stands for the flow (an odd run count gives a real run).
const byWall = [...flowRuns.runs].sort((a, b) => a.wallMs - b.wallMs);
const medianRun = byWall[Math.floor((byWall.length - 1) / 2)]!;
const roundTrips = (doubled.medianWallMs - flowRuns.medianWallMs) / latencyMs;
facts.protocol = {
  ...analyseRun(medianRun, latencyMs),
  sequentialRoundTrips: flowRuns.medianWallMs / latencyMs,
  fromSlope: { latencyMs: 2 * latencyMs, medianWallMs: doubled.medianWallMs, roundTrips, fixedMs: flowRuns.medianWallMs - roundTrips * latencyMs },
};
const failed = [...flowRuns.runs, ...doubled.runs].filter((r) => r.outcome !== 'succeeded').length;

const found = breaches(facts);
if (failed > 0) found.push(`${failed} of ${flowRuns.runs.length + doubled.runs.length} connect runs did not succeed`);
printReport({ facts, modules, flow: flowRuns, opens: Number(values.opens), breaches: found });

mkdirSync('artifacts', { recursive: true });
writeFileSync(
  'artifacts/bench.json',
  `${JSON.stringify({ at: new Date().toISOString(), budgets: BUDGETS, ...facts, modules, flow: flowRuns, flowAtDoubleLatency: doubled, breaches: found }, null, 2)}\n`,
);
console.log(`\nbench.json: artifacts/bench.json; bench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(values.check && found.length > 0 ? 1 : 0);
