import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import path from 'node:path';
import { ELSEWHERE_HOST, EXTENSION_APP, INFISICAL, MARKETPLACE_HOST, SANDBOX_HOSTS, UNTRUSTED_HOST } from '../../sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { BrowserName, ExtensionBrowser } from './browsers';
import { launchChromium } from './chromium';
import { leaks } from './audit';
import { configureOptions, dumpStorage } from './extension-pages';
import { launchFirefox } from './firefox';
import { ARTIFACTS } from './paths';

export interface World {
  sandbox: Sandbox;
  /** The browser under test, with the production build of the extension for it. */
  ext: ExtensionBrowser;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>` */
  base: string;
  /** The redirect URI an admin registers in Entra for this browser. */
  redirectUri: string;
  /** Secrets the sandbox handed out that are now in the extension's storage (should be none). */
  leakedSecrets(): Promise<string[]>;
  /** Where a screenshot named `name` goes (Chromium keeps the plain names the README uses). */
  artifact(name: string): string;
  close(): Promise<void>;
}

/**
 * The sandbox, one browser with the production build, and the extension configured through its
 * options page as a person would (the browser is first made to grant the instance origin without a
 * prompt, since headless browsers cannot show one).
 */
export async function startWorld(name: BrowserName, options: { remember?: boolean } = {}): Promise<World> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const sandbox = await startSandbox();
  const launch = name === 'firefox' ? launchFirefox : launchChromium;
  let ext: ExtensionBrowser;
  try {
    ext = await launch({ hosts: [...SANDBOX_HOSTS, UNTRUSTED_HOST, ELSEWHERE_HOST, MARKETPLACE_HOST], port: sandbox.port, caPath: sandbox.caPath });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  try {
    await useInstance(ext, INFISICAL.siteUrl, options);
  } catch (error) {
    await ext.close();
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    ext,
    base: ext.base,
    redirectUri: name === 'firefox' ? EXTENSION_APP.firefoxRedirect : EXTENSION_APP.chromiumRedirect,
    async leakedSecrets() {
      const page = await ext.openPage(`${ext.base}/popup.html`);
      try {
        return leaks(await dumpStorage(page), sandbox.state, sandbox.config);
      } finally {
        await page.close();
      }
    },
    artifact: (file) => path.join(ARTIFACTS, name === 'chromium' ? file : file.replace(/(\.\w+)$/, `-${name}$1`)),
    async close() {
      await ext.close();
      await sandbox.close();
    },
  };
}

/** Point the extension at an Infisical instance through its options page, as a person would. */
export async function useInstance(ext: ExtensionBrowser, siteUrl: string, options: { remember?: boolean } = {}): Promise<void> {
  await ext.grantHostPermission(siteUrl);
  const page = await configureOptions(ext.browser, ext.base, {
    infisicalUrl: new URL(siteUrl).host,
    identityClientId: INFISICAL.clientId,
    identityClientSecret: INFISICAL.clientSecret,
    microsoftClientId: EXTENSION_APP.clientId,
    remember: options.remember,
  });
  await page.close();
}

/**
 * A suite's world: started before its tests, closed after them, the sandbox reset before each test
 * and the extension's storage audited for leaked secrets after each (docs/reliability.md). The returned object
 * reads through to the world once `beforeAll` has started it.
 */
export function useWorld(name: BrowserName, options: { remember?: boolean } = {}): World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(name, options);
  });
  afterAll(() => world?.close());
  beforeEach(() => current().sandbox.reset());
  afterEach(async () => expect(await current().leakedSecrets()).toEqual([]));
  const current = () => {
    if (!world) throw new Error('The world is used before beforeAll started it.');
    return world;
  };
  return {
    get sandbox() {
      return current().sandbox;
    },
    get ext() {
      return current().ext;
    },
    get base() {
      return current().base;
    },
    get redirectUri() {
      return current().redirectUri;
    },
    artifact: (file) => current().artifact(file),
    leakedSecrets: () => current().leakedSecrets(),
    close: () => current().close(),
  };
}
