/**
 * The main job on the local sandbox: starts the fakes, loads the production build into headless
 * Chromium, configures it through its options page, connects from its popup, and prints what was
 * created. Screenshots go to artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_APP, INFISICAL, ORGS, SANDBOX_HOSTS, TENANT } from '../tests/sandbox/fixtures';
import { startSandbox } from '../tests/sandbox/server';
import { grantHostPermission, launchChromium } from '../tests/e2e/support/chromium';
import { configureOptions, connectFromPopup, text, waitForOutcome } from '../tests/e2e/support/extension-pages';
import { ARTIFACTS } from '../tests/e2e/support/paths';

const started = Date.now();
mkdirSync(ARTIFACTS, { recursive: true });
const sandbox = await startSandbox();
console.log(`sandbox: https on 127.0.0.1:${sandbox.port} for ${SANDBOX_HOSTS.join(', ')}`);
const chromium = await launchChromium({ hosts: [...SANDBOX_HOSTS], port: sandbox.port, caPath: sandbox.caPath });
let exitCode = 0;
try {
  console.log(`chromium: extension ${chromium.extensionId} loaded from .output/chrome-mv3`);
  await grantHostPermission(chromium.browser, chromium.extensionId, INFISICAL.siteUrl);
  const base = `chrome-extension://${chromium.extensionId}`;
  const options = await configureOptions(chromium.browser, base, {
    infisicalUrl: INFISICAL.siteUrl,
    identityClientId: INFISICAL.clientId,
    identityClientSecret: INFISICAL.clientSecret,
    microsoftClientId: EXTENSION_APP.clientId,
  });
  await options.setViewport({ width: 800, height: 900 });
  await options.screenshot({ path: path.join(ARTIFACTS, 'options.png') });
  console.log('options: Infisical instance, machine identity and Microsoft app saved');

  const popup = await connectFromPopup(chromium.browser, base, { tenant: TENANT.id, org: ORGS.contoso.name });
  await popup.setViewport({ width: 360, height: 420 });
  const outcome = await waitForOutcome(popup);
  await popup.screenshot({ path: path.join(ARTIFACTS, 'popup-result.png') });
  if (outcome !== 'succeeded') {
    console.error(`connect failed: ${await text(popup, '[data-testid=error-title]')} ${await text(popup, '[data-testid=error-fix]')}`);
    exitCode = 1;
  } else {
    const connection = sandbox.state.connections[0]!;
    const pat = sandbox.state.pats.find((p) => p.token === connection.secretCredentials.accessToken)!;
    const exchange = sandbox.state.tokenExchanges.find((e) => e.grantType === 'authorization_code');
    console.log('\nCreated in Infisical (sandbox):');
    console.log(`  connection  ${connection.name}  id ${connection.id}`);
    console.log(`  method      ${connection.method}, organization ${connection.credentials.orgName}`);
    console.log('Minted in Azure DevOps (sandbox):');
    console.log(`  PAT         authorization ${pat.authorizationId}, ${pat.status}, allOrgs ${pat.allOrgs}`);
    console.log(`  scopes      ${pat.scope}`);
    console.log(`  expires     ${pat.validTo}`);
    console.log(`Microsoft sign-in: code redeemed with PKCE ${exchange?.pkce} from ${exchange?.origin}`);
    console.log(`\nScreenshots: ${path.relative(process.cwd(), ARTIFACTS)}/options.png, popup-result.png`);
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await chromium.close();
  await sandbox.close();
}
console.log(`demo ${exitCode === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
