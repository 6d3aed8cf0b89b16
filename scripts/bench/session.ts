/**
 * One browser run for the runtime measurements of one browser: the sandbox, a temp copy of the
 * production build with a blank comparison page added (the shipped build must not contain one; the
 * manifest `key`, and in Firefox a fixed add-on UUID, keep the extension's address), Debian's
 * Chromium or Firefox ESR, and the options saved so the popup shows its form.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_APP, INFISICAL, SANDBOX_HOSTS } from '../../tests/sandbox/fixtures';
import { startRemoteSandbox, type RemoteSandbox } from './remote-sandbox';
import type { BrowserName, ExtensionBrowser } from '../../tests/e2e/support/browsers';
import { launchChromium } from '../../tests/e2e/support/chromium';
import { configureOptions } from '../../tests/e2e/support/extension-pages';
import { launchFirefox } from '../../tests/e2e/support/firefox';

/**
 * The floor for "open an extension page in a tab": static HTML, no script, the same kind of
 * text (for first-contentful-paint) and an enabled submit button (for "interactive").
 */
const BLANK_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head>
<body><main><h1>Connect Azure DevOps to Infisical</h1><form><button type="submit">Connect</button></form></main></body></html>
`;

export interface BenchSession {
  sandbox: RemoteSandbox;
  ext: ExtensionBrowser;
  base: string;
  close(): Promise<void>;
}

export async function openSession(build: string, name: BrowserName = 'chromium'): Promise<BenchSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'icado-bench-ext-'));
  cpSync(build, dir, { recursive: true });
  writeFileSync(path.join(dir, 'blank.html'), BLANK_HTML);

  const sandbox = await startRemoteSandbox();
  let ext: ExtensionBrowser | undefined;
  try {
    const launch = name === 'firefox' ? launchFirefox : launchChromium;
    ext = await launch({ hosts: [...SANDBOX_HOSTS], port: sandbox.port, caPath: sandbox.caPath, extensionDir: dir });
    const { base } = ext;
    await ext.grantHostPermission(INFISICAL.siteUrl);
    const options = await configureOptions(ext.browser, base, {
      infisicalUrl: INFISICAL.siteUrl,
      identityClientId: INFISICAL.clientId,
      identityClientSecret: INFISICAL.clientSecret,
      microsoftClientId: EXTENSION_APP.clientId,
      // Firefox clears session storage when the add-on reloads, which the flow runs do (flow.ts).
      remember: name === 'firefox',
    });
    await options.close();
    const opened = ext;
    return {
      sandbox,
      ext: opened,
      base,
      async close() {
        await opened.close();
        await sandbox.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await ext?.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
