import { EXTENSION_APP, INFISICAL, ORGS, SANDBOX_HOSTS, TENANT } from '../../tests/sandbox/fixtures';
import { startSandbox } from '../../tests/sandbox/server';
import { grantHostPermission, launchChromium } from '../../tests/e2e/support/chromium';
import { configureOptions, connectFromPopup, waitForOutcome } from '../../tests/e2e/support/extension-pages';
const sandbox = await startSandbox({ latencyMs: 100 });
const c = await launchChromium({ hosts: [...SANDBOX_HOSTS], port: sandbox.port, caPath: sandbox.caPath });
const base = `chrome-extension://${c.extensionId}`;
await grantHostPermission(c.browser, c.extensionId, INFISICAL.siteUrl);
sandbox.setLatency(0);
const o = await configureOptions(c.browser, base, { infisicalUrl: INFISICAL.siteUrl, identityClientId: INFISICAL.clientId, identityClientSecret: INFISICAL.clientSecret, microsoftClientId: EXTENSION_APP.clientId });
await o.close();
sandbox.setLatency(100);
for (let i = 0; i < 3; i++) {
  const n = sandbox.requests.length;
  const t0 = Date.now();
  const p = await connectFromPopup(c.browser, base, { tenant: TENANT.id, org: ORGS.contoso.name, connectionName: `bench-${i}` });
  console.log(await waitForOutcome(p), Date.now() - t0);
  console.log(sandbox.requests.slice(n).map((r) => `${r.at} ${r.method} ${r.host}${r.path} ${r.status} ${r.ms}`).join('\n'));
  console.log(c.browser.targets().map((t) => `${t.type()} ${t.url()}`).join('\n'));
  // try stopping the worker
  const s = await p.createCDPSession();
  await s.send('ServiceWorker.enable');
  await s.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));
  console.log('after stop', c.browser.targets().map((t) => `${t.type()} ${t.url()}`).join(' | '));
  await p.close();
}
await c.close(); await sandbox.close();
