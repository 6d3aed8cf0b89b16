/**
 * One browser run for every runtime measurement: the sandbox, a temp copy of the production build
 * with a blank comparison page added (the shipped build must not contain one; the manifest `key`
 * keeps the extension id), Debian's Chromium, and the options saved so the popup shows its form.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_APP, INFISICAL, SANDBOX_HOSTS } from '../../tests/sandbox/fixtures';
import { startRemoteSandbox, type RemoteSandbox } from './remote-sandbox';
import { grantHostPermission, launchChromium, type LaunchedChromium } from '../../tests/e2e/support/chromium';
import { configureOptions } from '../../tests/e2e/support/extension-pages';

/**
 * The floor for "open an extension page in a tab": static HTML, no script, the same kind of
 * text (for first-contentful-paint) and an enabled submit button (for "interactive").
 */
const BLANK_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head>
<body><main><h1>Connect Azure DevOps to Infisical</h1><form><button type="submit">Connect</button></form></main></body></html>
`;

export interface BenchSession {
  sandbox: RemoteSandbox;
  chromium: LaunchedChromium;
  base: string;
  close(): Promise<void>;
}

export async function openSession(build: string): Promise<BenchSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'icado-bench-ext-'));
  cpSync(build, dir, { recursive: true });
  writeFileSync(path.join(dir, 'blank.html'), BLANK_HTML);

  const sandbox = await startRemoteSandbox();
  let chromium: LaunchedChromium | undefined;
  try {
    chromium = await launchChromium({ hosts: [...SANDBOX_HOSTS], port: sandbox.port, caPath: sandbox.caPath, extensionDir: dir });
    const base = `chrome-extension://${chromium.extensionId}`;
    await grantHostPermission(chromium.browser, chromium.extensionId, INFISICAL.siteUrl);
    const options = await configureOptions(chromium.browser, base, {
      infisicalUrl: INFISICAL.siteUrl,
      identityClientId: INFISICAL.clientId,
      identityClientSecret: INFISICAL.clientSecret,
      microsoftClientId: EXTENSION_APP.clientId,
    });
    await options.close();
    const opened = chromium;
    return {
      sandbox,
      chromium: opened,
      base,
      async close() {
        await opened.close();
        await sandbox.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await chromium?.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
