/**
 * `npm run store`'s work, callable from a test: the packages (packages.ts), the screenshots of
 * the real build in both browsers (capture.ts), framed at the stores' sizes (frame.ts), and
 * .output/store/ with one folder per store, each with its listing.md (listing.ts). Every PNG
 * written is checked for its exact size afterwards. docs/publishing.md says what goes where.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderIcon, SOURCE } from '../../build/icons';
import { ROOT } from '../../tests/e2e/support/paths';
import { captureShots, type Shots } from './capture';
import { promoTileFrame, renderFrames, screenshotFrame, type Frame } from './frame';
import { renderListing, type BuiltManifest, type Store } from './listing';
import { STORE_BUILDS, zipPackages } from './packages';
import { assertPngSize } from './png';
import { readZip } from './zip-file';

export const STORE_DIR = path.join(ROOT, '.output/store');

/** Every image's size, by the name it has in every folder. */
export const IMAGE_SIZES: Record<string, [width: number, height: number]> = {
  'screenshot-1-connect-form.png': [1280, 800],
  'screenshot-2-connected.png': [1280, 800],
  'screenshot-3-one-click.png': [1280, 800],
  'screenshot-4-connections.png': [1280, 800],
  'promo-small-440x280.png': [440, 280],
  'icon-128.png': [128, 128],
  'logo-300.png': [300, 300],
};

const SCREENSHOTS = Object.keys(IMAGE_SIZES).filter((n) => n.startsWith('screenshot-'));
const PROMO = 'promo-small-440x280.png';

/** The four listing screenshots of one browser's shots, in order. */
function screenshotFrames(shots: Shots): Frame[] {
  const [form, connected, oneClick, connections] = SCREENSHOTS as [string, string, string, string];
  return [
    screenshotFrame(form, 'Org and tenant found from the page you are on', shots.adoPage, shots.popupForm),
    screenshotFrame(connected, 'A least-privilege token, saved in Infisical', shots.adoPage, shots.popupSuccess),
    screenshotFrame(oneClick, 'Or one click beside the breadcrumb', shots.pageConnected),
    screenshotFrame(connections, 'Every connection and its expiry; renew before it breaks', shots.connections),
  ];
}

export interface StoreOutput {
  dir: string;
  /** The files of each store folder, by name. */
  folders: Record<Store, string[]>;
  seconds: { total: number };
}

/** Throws when a build, a flow in the browsers, a listing limit or an image size is wrong. */
export async function makeStore(): Promise<StoreOutput> {
  const started = Date.now();
  // The packages build into folders of their own while the browsers photograph .output/ builds.
  const [packages, chromiumShots, firefoxShots] = await Promise.all([zipPackages(), captureShots('chromium'), captureShots('firefox')]);
  const manifestOf = (zip: string) => JSON.parse(readZip(zip).get('manifest.json')?.toString('utf8') ?? 'null') as BuiltManifest;
  const chromiumManifest = manifestOf(packages.chromium);
  const firefoxManifest = manifestOf(packages.firefox);
  if ('key' in chromiumManifest) throw new Error('store: the Chromium store package still has a manifest key');

  const name = chromiumManifest.name;
  const rendered = await renderFrames([
    ...screenshotFrames(chromiumShots),
    ...screenshotFrames(firefoxShots),
    promoTileFrame(PROMO, name, 'Azure DevOps App Connections for Infisical, in one click'),
  ]);
  const chromiumImages = rendered.slice(0, 4);
  const firefoxImages = rendered.slice(4, 8);
  const promo = rendered[8]!;

  rmSync(STORE_DIR, { recursive: true, force: true });
  const folders: Record<Store, string[]> = { 'chrome-web-store': [], 'edge-add-ons': [], amo: [] };
  const write = (store: Store, file: string, bytes: Buffer | string) => {
    mkdirSync(path.join(STORE_DIR, store), { recursive: true });
    writeFileSync(path.join(STORE_DIR, store, file), bytes);
    folders[store].push(file);
  };
  const copy = (store: Store, from: string) => write(store, path.basename(from), readFileSync(from));

  for (const store of ['chrome-web-store', 'edge-add-ons'] as const) {
    copy(store, packages.chromium);
    for (const [i, file] of SCREENSHOTS.entries()) write(store, file, chromiumImages[i]!);
    write(store, PROMO, promo);
  }
  write('chrome-web-store', 'icon-128.png', readFileSync(path.join(STORE_BUILDS.chromium, 'chrome-mv3/icons/128.png')));
  write('edge-add-ons', 'logo-300.png', renderIcon(readFileSync(SOURCE, 'utf8'), 300));
  copy('amo', packages.firefox);
  copy('amo', packages.sources);
  for (const [i, file] of SCREENSHOTS.entries()) write('amo', file, firefoxImages[i]!);

  const zipName = path.basename(packages.chromium);
  write('chrome-web-store', 'listing.md', renderListing('chrome-web-store', chromiumManifest, [zipName, ...folders['chrome-web-store'].slice(1)]));
  write('edge-add-ons', 'listing.md', renderListing('edge-add-ons', chromiumManifest, [zipName, ...folders['edge-add-ons'].slice(1)]));
  write('amo', 'listing.md', renderListing('amo', firefoxManifest, SCREENSHOTS, { firefox: path.basename(packages.firefox), sources: path.basename(packages.sources) }));

  for (const [store, names] of Object.entries(folders)) {
    for (const file of names.filter((n) => n.endsWith('.png'))) {
      const [width, height] = IMAGE_SIZES[file] ?? [0, 0];
      assertPngSize(readFileSync(path.join(STORE_DIR, store, file)), width, height, `${store}/${file}`);
    }
  }
  return { dir: STORE_DIR, folders, seconds: { total: (Date.now() - started) / 1000 } };
}
