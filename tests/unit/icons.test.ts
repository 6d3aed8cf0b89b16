import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { ACTION_SIZES, ICON_SIZES, iconManifest, iconPath, PALETTES, recolour, renderIcon, renderIcons, SOURCE } from '../../build/icons';

/** The icons build/icons.ts makes from assets/icon.svg, read back as PNG files. */
const svg = readFileSync(SOURCE, 'utf8');
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a PNG must start with. */
function dimensions(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The PNG's alpha at (x, y), decoded by resvg from an <image> (Node has no PNG decoder). */
function alphaAt(png: Buffer, size: number, x: number, y: number): number {
  const page = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><image width="${size}" height="${size}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  return new Resvg(page).render().pixels[(y * size + x) * 4 + 3]!;
}

/** WCAG's contrast ratio of two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('icons', () => {
  it.each(['chrome', 'firefox'])('%s: every file is a PNG of its size', (browser) => {
    const files = renderIcons(svg, browser);
    const expected = [...ICON_SIZES.map((size) => iconPath(size)), ...(browser === 'firefox' ? ACTION_SIZES.flatMap((size) => [iconPath(size, 'dark'), iconPath(size, 'light')]) : [])];
    expect([...files.keys()].sort()).toEqual(expected.sort());
    for (const [file, png] of files) {
      const size = Number(/(\d+)/.exec(file)![1]);
      expect(dimensions(png), file).toEqual({ width: size, height: size });
    }
  });

  it('the light and dark variants differ from each other and from the source', () => {
    for (const size of ACTION_SIZES) {
      const [source, dark, light] = (['source', 'dark', 'light'] as const).map((variant) => renderIcon(svg, size, variant));
      expect(dark!.equals(light!)).toBe(false);
      expect(dark!.equals(source!)).toBe(false);
      expect(light!.equals(source!)).toBe(false);
    }
  });

  it('the 128 px icon keeps 16 px of transparent padding; the toolbar icons fill their square', () => {
    const big = renderIcon(svg, 128);
    expect(alphaAt(big, 128, 12, 64)).toBe(0);
    expect(alphaAt(big, 128, 24, 64)).toBe(255);
    expect(alphaAt(renderIcon(svg, 16), 16, 2, 8)).toBe(255);
  });

  it('the source reads on light and dark toolbars, each theme variant on its own (WCAG non-text contrast)', () => {
    // A white toolbar, and a dark grey lighter than Chromium's and Firefox's dark ones (the worst case).
    for (const toolbar of ['#FFFFFF', '#3C3C3C']) expect(contrast(PALETTES.source.tile, toolbar), toolbar).toBeGreaterThanOrEqual(3);
    // "dark" shows on light themes, "light" on dark themes (build/icons.ts).
    expect(contrast(PALETTES.dark.tile, '#FFFFFF')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(PALETTES.light.tile, '#2B2A33')).toBeGreaterThanOrEqual(4.5);
    for (const palette of Object.values(PALETTES)) expect(contrast(palette.tile, palette.key)).toBeGreaterThanOrEqual(3);
  });

  it('a source painting a colour no palette maps fails the build instead of shipping an unthemed icon', () => {
    expect(() => recolour(svg.replace('#FFFFFF', '#123456'), PALETTES.dark)).toThrow(/#123456/);
  });

  it('the manifest part names the files made: Firefox gets the button as MV2 browser_action, with theme_icons there alone', () => {
    const made = [...renderIcons(svg, 'firefox').keys()];
    const firefox = iconManifest('firefox', 2);
    expect(firefox).not.toHaveProperty('action');
    const button = firefox.browser_action!;
    const named = [...Object.values(firefox.icons), ...Object.values(button.default_icon), ...button.theme_icons!.flatMap((t) => [t.light, t.dark])];
    expect(named.filter((file) => !made.includes(file))).toEqual([]);
    expect(button.theme_icons![0]).toEqual({ light: 'icons/16-light.png', dark: 'icons/16-dark.png', size: 16 });
    const chromium = iconManifest('chrome', 3);
    expect(chromium).not.toHaveProperty('browser_action');
    expect(chromium.action!.default_icon).toEqual({ 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png' });
    expect(chromium.action).not.toHaveProperty('theme_icons');
  });
});
