/**
 * Sets raw screenshots in frames of the stores' exact sizes: a small local HTML page (the shot as
 * an image, a caption, the icon) rendered in headless Chromium at exactly the target viewport with
 * deviceScaleFactor 1, then photographed. Nothing is scaled by a library: the browser lays it out.
 * The colours are the icon's own (PALETTES in build/icons.ts), so the listing matches the icon.
 */
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { PALETTES, renderIcon, SOURCE } from '../../build/icons';
import { assertPngSize } from './png';

export interface Frame {
  width: number;
  height: number;
  html: string;
  /** For the error when the result has the wrong size. */
  name: string;
}

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The icon as a data URL: the 128 px rendering the packages carry (build/icons.ts). */
export const iconDataUrl = () => dataUrl(renderIcon(readFileSync(SOURCE, 'utf8'), 128));

const BASE_CSS = `*{box-sizing:border-box;margin:0}html,body{width:100%;height:100%;overflow:hidden}
body{font-family:"DejaVu Sans","Liberation Sans",system-ui,sans-serif;color:#fff;
background:linear-gradient(135deg,${PALETTES.dark.tile} 0%,${PALETTES.source.tile} 100%)}`;

/**
 * A 1280x800 screenshot: caption and icon in a 136 px band, under it the page shot (1184x640,
 * the viewport capture.ts photographs pages at) and, when given, a popup shot hanging from its
 * top-right corner where the toolbar button would be.
 */
export function screenshotFrame(name: string, caption: string, page: Buffer, popup?: Buffer): Frame {
  const overlay = popup ? `<img class="popup" src="${dataUrl(popup)}" alt="">` : '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}
header{position:absolute;left:48px;top:0;height:136px;display:flex;align-items:center;gap:24px}
header img{width:64px;height:64px}
h1{font-size:34px;font-weight:700;line-height:1.2}
.stage{position:absolute;left:48px;top:136px;width:1184px;height:640px;border-radius:10px 10px 0 0;overflow:hidden;background:#fff;box-shadow:0 12px 40px rgba(0,0,0,.35)}
.shot{display:block;width:1184px;height:640px}
.popup{position:absolute;top:8px;right:16px;border-radius:6px;box-shadow:0 8px 28px rgba(0,0,0,.45);border:1px solid #c8ccd2;background:#fff}
</style></head><body><header><img src="${iconDataUrl()}" alt=""><h1>${escapeHtml(caption)}</h1></header>
<div class="stage"><img class="shot" src="${dataUrl(page)}" alt="">${overlay}</div></body></html>`;
  return { width: 1280, height: 800, html, name };
}

/** The 440x280 small promo tile: the icon and the name, on the icon's colours. */
export function promoTileFrame(name: string, title: string, tagline: string): Frame {
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}
body{display:flex;flex-direction:column;justify-content:center;padding:0 36px;gap:14px}
img{width:88px;height:88px;margin-left:-8px}
h1{font-size:27px;font-weight:700;line-height:1.2}
p{font-size:15px;line-height:1.35;opacity:.92}
</style></head><body><img src="${iconDataUrl()}" alt=""><h1>${escapeHtml(title)}</h1><p>${escapeHtml(tagline)}</p></body></html>`;
  return { width: 440, height: 280, html, name };
}

/**
 * Every frame as a PNG of exactly its size (checked from the IHDR). Debian's Chromium, headless,
 * with the flags tests/e2e/support/chromium.ts launches it with; no extension, no network.
 */
export async function renderFrames(frames: Frame[]): Promise<Buffer[]> {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const out: Buffer[] = [];
    for (const frame of frames) {
      await page.setViewport({ width: frame.width, height: frame.height, deviceScaleFactor: 1 });
      await page.setContent(frame.html, { waitUntil: 'load' });
      const png = Buffer.from(await page.screenshot({ type: 'png' }));
      assertPngSize(png, frame.width, frame.height, frame.name);
      out.push(png);
    }
    return out;
  } finally {
    await browser.close();
  }
}
