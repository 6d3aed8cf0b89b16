/**
 * Bytes each extension context loads, read from the built output (no browser): for an HTML page,
 * its `<script type=module>`, modulepreloads and stylesheets plus the static imports inside those
 * chunks, transitively; the service worker (Firefox: the background page's scripts) and content
 * scripts are single files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface EntrypointSize {
  name: string;
  kind: 'page' | 'service-worker' | 'background-page' | 'content-script';
  /** Paths relative to the build root, in load order. */
  files: string[];
  jsRaw: number;
  jsGzip: number;
  cssRaw: number;
  cssGzip: number;
  /** JS + CSS, each file gzipped on its own (as the browser reads them). */
  totalGzip: number;
  /** Built files in which an MSAL marker was found. */
  msalFiles: string[];
}

/**
 * Strings of @azure/msal-browser / msal-common that survive minification because they are data,
 * not identifiers: the package names and SKUs MSAL sends as telemetry. Error codes such as
 * `interaction_in_progress` are NOT markers: the app's own describeError maps them to sentences,
 * so they appear in the popup and the worker without MSAL being there.
 */
export const MSAL_MARKERS = ['"@azure/msal-browser"', '"@azure/msal-common"', '"msal.js.browser"', '"msal.js.common"'];

const gz = (buf: Buffer) => gzipSync(buf, { level: 9 }).length;

/** Static `import … from "./x.js"` / `import "./x.js"` in a minified ES chunk (not `import()`). */
function staticImports(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)) found.push(m[1]!);
  for (const m of code.matchAll(/(?:^|[;}\s])export\s*(?:\*|\{[^}]*\})\s*from\s*["']([^"']+)["']/g)) found.push(m[1]!);
  return found;
}

/** Resolve a URL found in the build (`/chunks/a.js` or `./a.js` relative to `from`). */
function resolveInBuild(ref: string, from: string): string {
  const clean = ref.split(/[?#]/)[0]!;
  return clean.startsWith('/') ? clean.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(from), clean));
}

/** Every JS and CSS file a page loads before it can run, in first-seen order. */
export function pageLoadSet(root: string, html: string): string[] {
  const text = readFileSync(path.join(root, html), 'utf8');
  const queue: string[] = [];
  const add = (file: string) => void (queue.includes(file) || queue.push(file));
  // Styles inlined into the page (build/inline-styles.ts) load with it: the page counts as CSS.
  if (/<style\b/i.test(text)) add(html);
  for (const tag of text.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
    if (/^<script/i.test(tag) && attr('src')) add(resolveInBuild(attr('src')!, html));
    const rel = attr('rel')?.toLowerCase();
    if (/^<link/i.test(tag) && (rel === 'stylesheet' || rel === 'modulepreload') && attr('href')) add(resolveInBuild(attr('href')!, html));
  }
  return withStaticImports(root, queue);
}

/** The files plus every chunk they statically import, transitively (dynamic `import()` is lazy). */
export function withStaticImports(root: string, files: string[]): string[] {
  const queue = [...new Set(files)];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    if (!file.endsWith('.js') || !existsSync(path.join(root, file))) continue;
    for (const ref of staticImports(readFileSync(path.join(root, file), 'utf8'))) {
      const next = resolveInBuild(ref, file);
      if (!queue.includes(next)) queue.push(next);
    }
  }
  return queue.filter((f) => existsSync(path.join(root, f)));
}

export function measureFiles(root: string, name: string, kind: EntrypointSize['kind'], files: string[]): EntrypointSize {
  const size: EntrypointSize = { name, kind, files, jsRaw: 0, jsGzip: 0, cssRaw: 0, cssGzip: 0, totalGzip: 0, msalFiles: [] };
  for (const file of files) {
    let buf = readFileSync(path.join(root, file));
    if (file.endsWith('.html')) buf = Buffer.from([...buf.toString('utf8').matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join(''));
    if (file.endsWith('.css') || file.endsWith('.html')) {
      size.cssRaw += buf.length;
      size.cssGzip += gz(buf);
    } else {
      size.jsRaw += buf.length;
      size.jsGzip += gz(buf);
      const code = buf.toString('utf8');
      if (MSAL_MARKERS.some((m) => code.includes(m))) size.msalFiles.push(file);
    }
  }
  size.totalGzip = size.jsGzip + size.cssGzip;
  return size;
}

interface Manifest {
  background?: { service_worker?: string; scripts?: string[] };
  content_scripts?: { js?: string[]; css?: string[]; matches?: string[] }[];
}

export function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Manifest;
}

/** Content scripts: `content-scripts/<name>.js` (+ `.css`), as WXT writes them. */
export function contentScriptFiles(root: string): Map<string, string[]> {
  const dir = path.join(root, 'content-scripts');
  const byName = new Map<string, string[]>();
  if (!existsSync(dir)) return byName;
  for (const f of readdirSync(dir).sort()) {
    const m = /^(.+)\.(js|css)$/.exec(f);
    if (m) byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), `content-scripts/${f}`]);
  }
  return byName;
}

/** Every entrypoint of a build (Chromium MV3 or Firefox MV2). `exclude` skips pages the bench added (blank.html). */
export function measureBuild(root: string, exclude: string[] = []): EntrypointSize[] {
  const out: EntrypointSize[] = [];
  const pages = readdirSync(root)
    .filter((f) => f.endsWith('.html') && !exclude.includes(f))
    .sort();
  for (const html of pages) out.push(measureFiles(root, html.replace(/\.html$/, ''), 'page', pageLoadSet(root, html)));
  const background = readManifest(root).background;
  // An IIFE worker today; a `type: module` worker would import chunks, so follow them anyway.
  if (background?.service_worker) out.push(measureFiles(root, 'background', 'service-worker', withStaticImports(root, [background.service_worker])));
  if (background?.scripts?.length) out.push(measureFiles(root, 'background', 'background-page', withStaticImports(root, background.scripts)));
  for (const [name, files] of contentScriptFiles(root)) {
    out.push(measureFiles(root, `content:${name}`, 'content-script', withStaticImports(root, files)));
  }
  return out;
}
