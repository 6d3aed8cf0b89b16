import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AMO_SUMMARY } from '../../scripts/store/copy';
import { LIMITS, type BuiltManifest } from '../../scripts/store/listing';
import { IMAGE_SIZES, makeStore, type StoreOutput } from '../../scripts/store/make-store';
import { manifestPermissions } from '../../scripts/store/permissions';
import { pngSize } from '../../scripts/store/png';
import { FORBIDDEN_IN_PACKAGE, readZip } from '../../scripts/store/zip-file';
import { CHROME_BUILD } from './support/paths';

/**
 * `npm run store` as a reviewer of each store meets its output (docs/publishing.md): the folders
 * with what each store's form asks for, images of the exact sizes, packages without source maps,
 * keys or tests, summaries within the limits, and a reason in listing.md for every permission the
 * uploaded manifest asks for. The store script runs once, for real: both builds, both browsers.
 */
let out: StoreOutput;
beforeAll(async () => {
  out = await makeStore();
}, 150_000);

const file = (store: string, name: string) => path.join(out.dir, store, name);
const listing = (store: string) => readFileSync(file(store, 'listing.md'), 'utf8');
const zipIn = (store: string, suffix: string) => readdirSync(path.join(out.dir, store)).find((n) => n.endsWith(suffix))!;
const manifestIn = (zip: string) => JSON.parse(readZip(zip).get('manifest.json')!.toString('utf8')) as BuiltManifest & Record<string, unknown>;
const SCREENSHOTS = ['screenshot-1-connect-form.png', 'screenshot-2-connected.png', 'screenshot-3-one-click.png', 'screenshot-4-connections.png'];

describe('npm run store', () => {
  it.each([
    ['chrome-web-store', ['-chrome.zip', 'icon-128.png', 'promo-small-440x280.png', 'listing.md', ...SCREENSHOTS]],
    ['edge-add-ons', ['-chrome.zip', 'logo-300.png', 'promo-small-440x280.png', 'listing.md', ...SCREENSHOTS]],
    ['amo', ['-firefox.zip', '-sources.zip', 'listing.md', ...SCREENSHOTS]],
  ])('%s holds what the store asks for', (store, expected) => {
    const names = readdirSync(path.join(out.dir, store));
    for (const name of expected)
      expect(
        names.some((n) => n.endsWith(name)),
        `${store}/${name}`,
      ).toBe(true);
    expect(names).toHaveLength(expected.length);
  });

  it('every image has the exact size the store takes', () => {
    let checked = 0;
    for (const store of Object.keys(out.folders)) {
      for (const name of readdirSync(path.join(out.dir, store)).filter((n) => n.endsWith('.png'))) {
        const [width, height] = IMAGE_SIZES[name]!;
        expect(pngSize(readFileSync(file(store, name))), `${store}/${name}`).toEqual({ width, height });
        checked++;
      }
    }
    expect(checked).toBe(6 + 6 + 4);
  });

  it.each([
    ['chrome-web-store', '-chrome.zip'],
    ['amo', '-firefox.zip'],
    ['amo', '-sources.zip'],
  ])('%s %s: no source maps, keys, certificates, logs or tests', (store, suffix) => {
    const entries = [...readZip(file(store, zipIn(store, suffix))).keys()];
    if (suffix !== '-sources.zip') expect(entries).toContain('manifest.json');
    else expect(entries).toContain('wxt.config.ts');
    expect(entries.filter((e) => FORBIDDEN_IN_PACKAGE.test(e))).toEqual([]);
  });

  it('the Chromium upload has no manifest key (both stores refuse one), and Edge gets the same bytes', () => {
    const zip = zipIn('chrome-web-store', '-chrome.zip');
    expect(manifestIn(file('chrome-web-store', zip))).not.toHaveProperty('key');
    expect(readFileSync(file('edge-add-ons', zip)).equals(readFileSync(file('chrome-web-store', zip)))).toBe(true);
    // The build the demo and the tests load keeps it, and so the id its redirect URI is registered for.
    expect(JSON.parse(readFileSync(path.join(CHROME_BUILD, 'manifest.json'), 'utf8'))).toHaveProperty('key');
  });

  it('summaries are within the limits and are what the listings say', () => {
    const manifest = manifestIn(file('chrome-web-store', zipIn('chrome-web-store', '-chrome.zip')));
    expect(manifest.description.length).toBeLessThanOrEqual(LIMITS.chromeSummary);
    expect(listing('chrome-web-store')).toContain(manifest.description);
    expect(AMO_SUMMARY.length).toBeLessThanOrEqual(LIMITS.amoSummary);
    expect(listing('amo')).toContain(AMO_SUMMARY);
  });

  it.each([
    ['chrome-web-store', '-chrome.zip'],
    ['edge-add-ons', '-chrome.zip'],
    ['amo', '-firefox.zip'],
  ])('%s: listing.md justifies every permission of the uploaded manifest', (store, suffix) => {
    const permissions = manifestPermissions(manifestIn(file(store, zipIn(store, suffix))));
    expect(permissions.length).toBeGreaterThan(8);
    const text = listing(store);
    for (const p of permissions) expect(text, p).toMatch(new RegExp(`^- \`${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\`: \\S`, 'm'));
  });

  it('AMO’s data collection answer is the manifest’s', () => {
    const manifest = manifestIn(file('amo', zipIn('amo', '-firefox.zip')));
    expect(manifest.browser_specific_settings?.gecko?.data_collection_permissions).toEqual({ required: ['none'] });
    expect(listing('amo')).toMatch(/does not collect or transmit data .*required: \["none"\]/);
  });
});
