import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_ORGANIZATIONS } from '../../utils/azure-devops/page-url';
import { ROOT } from './support/paths';

/**
 * The built packages, as a store reviewer would read them (docs/reliability.md): exactly these permissions,
 * each justified in the README; the Infisical origin only optional; no externally_connectable; a
 * tight CSP; no eval or code built from strings; no script loaded from outside the package.
 */
const builds = { chromium: '.output/chrome-mv3', firefox: '.output/firefox-mv2' } as const;
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(ROOT, dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const ADO_HOSTS = ['https://dev.azure.com/*', 'https://vssps.dev.azure.com/*', 'https://app.vssps.visualstudio.com/*'];
const INSTANCE_ORIGINS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];
const CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name)) : [path.join(dir, name)]));
}

describe('built packages', () => {
  it('Chromium asks for exactly these permissions', () => {
    const m = manifest(builds.chromium);
    expect(m.permissions).toEqual(['storage', 'identity', 'alarms', 'declarativeNetRequestWithHostAccess', 'offscreen']);
    expect(m.host_permissions).toEqual(ADO_HOSTS);
    expect(m.optional_host_permissions).toEqual(INSTANCE_ORIGINS);
    // Asked for only when expiry notifications are turned on (README "Connections that stay alive").
    expect(m.optional_permissions).toEqual(['notifications']);
    expect(m.content_security_policy).toEqual({ extension_pages: CSP });
    // Only Microsoft's sign-in (the page whose form post ends in the redirect rule's target) may load
    // the callback page, and only by its per-session URL: no web page can detect the extension.
    expect(m.web_accessible_resources).toEqual([{ resources: ['oauth-callback.html'], matches: ['https://login.microsoftonline.com/*'], use_dynamic_url: true }]);
  });

  it('Firefox asks for exactly these permissions', () => {
    const m = manifest(builds.firefox);
    expect(m.permissions).toEqual(['storage', 'identity', 'alarms', 'declarativeNetRequestWithHostAccess', ...ADO_HOSTS]);
    expect(m.optional_permissions).toEqual([...INSTANCE_ORIGINS, 'notifications']);
    expect(m.content_security_policy).toBe(CSP);
    // MV2's plain list (no matches there); the moz-extension host is random per install.
    expect(m.web_accessible_resources).toEqual(['oauth-callback.html']);
  });

  it.each(Object.entries(builds))('%s: content script only on Azure DevOps, no externally_connectable', (_name, dir) => {
    const m = manifest(dir);
    expect(m.externally_connectable).toBeUndefined();
    expect(m.content_scripts).toEqual([expect.objectContaining({ matches: ['https://*.visualstudio.com/*', 'https://dev.azure.com/*'], js: ['content-scripts/azure-devops.js'] })]);
    // Not even injected on Microsoft's own sites there (utils/azure-devops/page-url.ts).
    const [script] = m.content_scripts as { exclude_matches?: string[] }[];
    expect(script?.exclude_matches).toEqual(expect.arrayContaining(['https://code.visualstudio.com/*', 'https://marketplace.visualstudio.com/*']));
    expect([...(script?.exclude_matches ?? [])].sort()).toEqual(NOT_ORGANIZATIONS.map((name) => `https://${name}.visualstudio.com/*`).sort());
  });

  it.each(Object.entries(builds))("%s: icons 16/32/48/128 and the toolbar button's, each a file of the package, and none in a script", (name, dir) => {
    const m = manifest(dir);
    const button = (name === 'firefox' ? m.browser_action : m.action) as { default_icon?: Record<string, string>; theme_icons?: { light: string; dark: string; size: number }[] };
    const icons = m.icons as Record<string, string>;
    expect(Object.keys(icons)).toEqual(['16', '32', '48', '128']);
    expect(Object.keys(button.default_icon ?? {})).toEqual(['16', '32', '48']);
    // Firefox alone has theme icons: "light" for dark themes, "dark" for light ones (build/icons.ts).
    if (name === 'firefox') expect(button.theme_icons?.map((t) => t.size)).toEqual([16, 32, 48]);
    else expect(button.theme_icons).toBeUndefined();
    const named = [...Object.values(icons), ...Object.values(button.default_icon ?? {}), ...(button.theme_icons ?? []).flatMap((t) => [t.light, t.dark])];
    for (const file of new Set(named)) {
      const png = readFileSync(path.join(ROOT, dir, file));
      expect(png.subarray(1, 4).toString('latin1'), file).toBe('PNG');
      const size = Number(/(\d+)/.exec(file)![1]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], file).toEqual([size, size]);
    }
    // Copied as files by the build (build/icons.ts), never inlined into a bundle as a data URL.
    for (const file of files(path.join(ROOT, dir)).filter((f) => /\.(js|html|css)$/.test(f))) expect(readFileSync(file, 'utf8'), file).not.toContain('data:image/png');
  });

  it.each(Object.entries(builds))('%s: no eval, no code from strings, no remote scripts', (_name, dir) => {
    for (const file of files(path.join(ROOT, dir))) {
      const source = readFileSync(file, 'utf8');
      if (file.endsWith('.js')) {
        expect(source, file).not.toMatch(/\beval\(|new Function\(|setTimeout\(\s*["'`]/);
      }
      if (file.endsWith('.html')) expect(source, file).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
    }
  });
});
