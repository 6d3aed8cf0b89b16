import { mkdirSync } from 'node:fs';
import { EXTENSION_APP, INFISICAL, SANDBOX_HOSTS } from '../../sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { grantHostPermission, launchChromium, type LaunchedChromium } from './chromium';
import { configureOptions } from './extension-pages';
import { ARTIFACTS } from './paths';

export interface World {
  sandbox: Sandbox;
  chromium: LaunchedChromium;
  /** `chrome-extension://<id>` */
  base: string;
  close(): Promise<void>;
}

/**
 * The sandbox, Chromium with the production build, and the extension configured through its
 * options page as a person would (after granting the instance origin the way the extensions page
 * does, since headless Chromium cannot show the permission prompt).
 */
export async function startWorld(): Promise<World> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const sandbox = await startSandbox();
  const chromium = await launchChromium({ hosts: [...SANDBOX_HOSTS], port: sandbox.port, caPath: sandbox.caPath });
  const base = `chrome-extension://${chromium.extensionId}`;
  await grantHostPermission(chromium.browser, chromium.extensionId, INFISICAL.siteUrl);
  const options = await configureOptions(chromium.browser, base, {
    infisicalUrl: INFISICAL.host,
    identityClientId: INFISICAL.clientId,
    identityClientSecret: INFISICAL.clientSecret,
    microsoftClientId: EXTENSION_APP.clientId,
  });
  await options.close();
  return {
    sandbox,
    chromium,
    base,
    async close() {
      await chromium.close();
      await sandbox.close();
    },
  };
}
