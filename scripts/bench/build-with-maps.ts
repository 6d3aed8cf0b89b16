/**
 * A second production build with hidden source maps, into a temp dir given as argv[2], so that
 * attribution.ts can say which modules the shipped bytes come from. The shipped build
 * (.output/chrome-mv3) stays map-free. WXT merges this inline config over wxt.config.ts.
 */
import { build } from 'wxt';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: tsx scripts/bench/build-with-maps.ts <outDir>');
await build({ outDir, vite: () => ({ build: { sourcemap: 'hidden' }, logLevel: 'silent' }) });
