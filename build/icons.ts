import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { ResolvedPublicFile, Wxt } from 'wxt';

/**
 * Every icon comes from one source, assets/icon.svg, rendered at build time (nothing generated is
 * committed). The source paints two fills, the tile and the key; a variant repaints them.
 *
 * `source` is the icon everywhere a browser shows one icon for all themes: the manifest's icons,
 * Chromium's toolbar (which has no theme icons in its manifest) and Firefox's fallback. Its tile
 * is a mid blue of relative luminance 0.27, about 3.3:1 against a white toolbar and against a
 * #3C3C3C one (lighter than Chromium's and Firefox's dark toolbars), so it stands out on both
 * without an edge, which the Chrome Web Store asks icons not to have; the white key is 3.3:1 on it.
 * tests/unit/icons.test.ts checks those ratios.
 *
 * Firefox's theme icons take the other two. In `theme_icons`, per MDN's browser_action page and
 * Firefox's own CSS, "light" is the icon for themes with light text, that is dark themes, and
 * "dark" the icon for light themes (WXT's ThemeIcon type describes them the other way round).
 * So `dark` is a dark tile with a white key, and `light` swaps the two: a pale tile, a dark key.
 */
export const PALETTES = {
  source: { tile: '#4A8FE0', key: '#FFFFFF' },
  dark: { tile: '#17324F', key: '#FFFFFF' },
  light: { tile: '#E3EEFA', key: '#17324F' },
} as const;
export type Variant = keyof typeof PALETTES;
type Palette = (typeof PALETTES)[Variant];

/** The manifest's icons; 128 is the install dialog's and the store's. */
export const ICON_SIZES = [16, 32, 48, 128] as const;
/** The toolbar button's: 16 and 32 on the toolbar (1x, 2x), 48 where a menu shows it larger. */
export const ACTION_SIZES = [16, 32, 48] as const;

export const SOURCE = new URL('../assets/icon.svg', import.meta.url);

/** Where each icon goes in the package: `icons/16.png`, and `icons/16-dark.png` for a variant. */
export const iconPath = (size: number, variant: Variant = 'source') => (variant === 'source' ? `icons/${size}.png` : `icons/${size}-${variant}.png`);

/** The source with its fills repainted; throws when the source's fills are not the two expected. */
export function recolour(svg: string, palette: Palette): string {
  const roles = new Map(Object.entries(PALETTES.source).map(([role, colour]) => [colour.toUpperCase(), role as keyof Palette]));
  const seen = new Set<string>();
  const out = svg.replace(/fill="(#[0-9A-Fa-f]{6})"/g, (_fill, colour: string) => {
    const role = roles.get(colour.toUpperCase());
    if (!role) throw new Error(`icons: assets/icon.svg paints ${colour}, which no palette in build/icons.ts maps`);
    seen.add(role);
    return `fill="${palette[role]}"`;
  });
  if (seen.size !== roles.size) throw new Error('icons: assets/icon.svg no longer paints both the tile and the key');
  return out;
}

/**
 * The 128 px icon's artwork is 96 px with 16 px of transparent padding on each side, as the Chrome
 * Web Store asks; the toolbar sizes use the whole square. Done by widening the source's viewBox.
 */
function padded(svg: string, size: number): string {
  if (size !== 128) return svg;
  const box = /viewBox="0 0 (\d+(?:\.\d+)?) \1"/;
  if (!box.test(svg)) throw new Error('icons: assets/icon.svg needs a square viewBox="0 0 N N"');
  return svg.replace(box, (_box, side: string) => {
    const wide = (Number(side) * 128) / 96;
    const margin = (wide - Number(side)) / 2;
    return `viewBox="${-margin} ${-margin} ${wide} ${wide}"`;
  });
}

/** One PNG of the source at `size` px, in `variant`'s colours. */
export function renderIcon(svg: string, size: number, variant: Variant = 'source'): Buffer {
  const art = padded(recolour(svg, PALETTES[variant]), size);
  // The mark has no text: no system fonts to load.
  return new Resvg(art, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

/** Every PNG a browser's package holds, by path: the theme variants only where Firefox reads them. */
export function renderIcons(svg: string, browser: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const size of ICON_SIZES) files.set(iconPath(size), renderIcon(svg, size));
  if (browser === 'firefox') {
    for (const size of ACTION_SIZES) for (const variant of ['dark', 'light'] as const) files.set(iconPath(size, variant), renderIcon(svg, size, variant));
  }
  return files;
}

const bySize = (sizes: readonly number[]) => Object.fromEntries(sizes.map((size) => [size, iconPath(size)]));

interface ToolbarButton {
  default_icon: Record<string, string>;
  theme_icons?: { light: string; dark: string; size: number }[];
}

/**
 * The manifest's part: icons, and the toolbar button's. Under MV2 (Firefox) the button is
 * `browser_action`: WXT writes the popup there and only renames `action` when it finds no
 * browser_action, so an `action` here would be dropped. Firefox alone reads theme_icons (see PALETTES).
 */
export function iconManifest(browser: string, manifestVersion: 2 | 3): { icons: Record<string, string>; action?: ToolbarButton; browser_action?: ToolbarButton } {
  const themeIcons = ACTION_SIZES.map((size) => ({ light: iconPath(size, 'light'), dark: iconPath(size, 'dark'), size }));
  const button = { default_icon: bySize(ACTION_SIZES), ...(browser === 'firefox' ? { theme_icons: themeIcons } : {}) };
  return { icons: bySize(ICON_SIZES), ...(manifestVersion === 2 ? { browser_action: button } : { action: button }) };
}

/**
 * The `build:publicAssets` hook: renders the PNGs into .wxt/icons and has WXT copy them into the
 * package like public files. That hook's generated files are written as text, so PNGs go by path.
 * Nothing passes through Vite: no icon can end up in a JS bundle.
 */
export async function addIcons(wxt: Wxt, files: ResolvedPublicFile[]): Promise<void> {
  const svg = await readFile(SOURCE, 'utf8');
  const dir = path.join(wxt.config.wxtDir, 'icons', wxt.config.browser);
  for (const [relativeDest, png] of renderIcons(svg, wxt.config.browser)) {
    const absoluteSrc = path.join(dir, relativeDest);
    await mkdir(path.dirname(absoluteSrc), { recursive: true });
    await writeFile(absoluteSrc, png);
    files.push({ relativeDest, absoluteSrc });
  }
}
