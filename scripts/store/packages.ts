/**
 * The packages the stores get, made by WXT's own `zip` with the project's `zip` config
 * (wxt.config.ts), as `npm run zip` makes them:
 * - Chromium, for the Chrome Web Store and Edge Add-ons, built into its own folder without the
 *   manifest `key`: both stores refuse an upload that carries one, and each assigns its own id
 *   (docs/publishing.md "The manifest key"). .output/chrome-mv3, which the tests and the demo load,
 *   keeps the key and so its fixed id.
 * - Firefox, for AMO, and the sources zip AMO asks for, the same as `npm run zip`'s but built into
 *   a folder of their own, so that the screenshots can be taken from .output/firefox-mv2 meanwhile.
 */
import path from 'node:path';
import { zip } from 'wxt';
import { ROOT } from '../../tests/e2e/support/paths';

export interface Packages {
  chromium: string;
  firefox: string;
  sources: string;
}

/** Where the store builds and their zips go (under .output/, which git ignores). */
export const STORE_BUILDS = { chromium: path.join(ROOT, '.output/store-chromium'), firefox: path.join(ROOT, '.output/store-firefox') } as const;

/** Throws when a build fails or WXT writes other zips than expected. Not concurrently with itself: WXT keeps one global build. */
export async function zipPackages(): Promise<Packages> {
  const [chromium] = await zip({
    root: ROOT,
    browser: 'chrome',
    outDir: STORE_BUILDS.chromium,
    hooks: {
      'build:manifestGenerated': (_wxt, manifest) => {
        Reflect.deleteProperty(manifest, 'key');
      },
    },
  });
  const firefoxZips = await zip({ root: ROOT, browser: 'firefox', outDir: STORE_BUILDS.firefox });
  const firefox = firefoxZips.find((f) => f.endsWith('-firefox.zip'));
  const sources = firefoxZips.find((f) => f.endsWith('-sources.zip'));
  if (!chromium?.endsWith('-chrome.zip') || !firefox || !sources) throw new Error(`store: unexpected zips ${[chromium, ...firefoxZips].join(', ')}`);
  return { chromium, firefox, sources };
}
