/**
 * `npm run store`: the production builds the screenshots are taken of, built afresh (so no shot is
 * of an older build left in .output/), then the store packages, images and listings in
 * .output/store/ (make-store.ts), then what was written. docs/publishing.md says what to upload where.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'wxt';
import { makeStore } from './make-store';

try {
  await build({ vite: () => ({ logLevel: 'warn' }) });
  await build({ browser: 'firefox', vite: () => ({ logLevel: 'warn' }) });
  const out = await makeStore();
  for (const [store, files] of Object.entries(out.folders)) {
    console.log(`${path.relative(process.cwd(), path.join(out.dir, store))}/`);
    for (const file of files) console.log(`  ${file.padEnd(48)} ${(statSync(path.join(out.dir, store, file)).size / 1024).toFixed(1).padStart(8)} KB`);
  }
  console.log(`store: done in ${out.seconds.total.toFixed(1)} s`);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
