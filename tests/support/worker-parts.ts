import { NO_RULES, type PolicyRules } from '../../utils/policy/policy';
import { createAzureDevOpsClient } from '../../utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, PUBLIC_CLOUD } from '../../utils/config/endpoints';
import { createEntraTokenCache } from '../../utils/microsoft/token-cache';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/storage/settings';
import { createFlowRunner } from '../../utils/worker/flow-runner';
import { createInventory } from '../../utils/worker/inventory';
import { createLedger } from '../../utils/worker/ledger';
import { createRemoval } from '../../utils/worker/removal';
import { createRenewals } from '../../utils/worker/renewals';
import { ADA, EXTENSION_APP, INFISICAL, TENANT } from '../sandbox/fixtures';
import { signIn as sandboxSignIn } from '../sandbox/flows';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from './fetch-via-sandbox';
import { sandboxInfisical } from './sandbox-records';

/**
 * The worker's parts for the connections view (ledger, flow runner, inventory, renewals, removal),
 * real, against the sandbox: only the browser's sign-in is replaced, by the sandbox's own PKCE
 * exchange for the tenant asked (`signInTo`, default contoso). `signIns` lists each sign-in;
 * `rules` stands for the organization's policy (utils/policy/policy.ts).
 */
export function workerParts(sandbox: Sandbox, options: { settings?: Partial<Settings>; rules?: PolicyRules; signInTo?: (tenant: string) => Promise<string> } = {}) {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const infisical = sandboxInfisical(sandbox, fetchFn);
  const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn });
  const now = () => new Date();
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    infisicalUrl: INFISICAL.siteUrl,
    identityClientId: INFISICAL.clientId,
    microsoftClientId: EXTENSION_APP.clientId,
    ...options.settings,
  };
  const signIns: { clientId: string; tenant: string }[] = [];
  const signInTo = options.signInTo ?? (async () => (await sandboxSignIn(sandbox, AZURE_DEVOPS_SCOPE)).access_token);
  const entraToken = createEntraTokenCache(async (request) => {
    signIns.push({ clientId: request.clientId, tenant: request.tenant });
    return { accessToken: await signInTo(request.tenant), expiresOn: new Date(Date.now() + 3_600_000).toISOString(), tenantId: request.tenant || TENANT.id, username: ADA.upn };
  }, Date.now);
  const services = {
    ado,
    entraToken,
    settings: async () => settings,
    rules: async () => options.rules ?? NO_RULES,
    infisical: async () => ({ settings, instanceUrl: INFISICAL.siteUrl, infisical }),
    microsoftClientId: async () => settings.microsoftClientId,
  };
  const ledger = createLedger();
  const runner = createFlowRunner({
    now,
    ledger,
    recovered: () => Promise.resolve(),
    instanceUrl: async () => INFISICAL.siteUrl,
    rules: services.rules,
    newId: () => crypto.randomUUID(),
    prepare: async () => ({
      instanceUrl: INFISICAL.siteUrl,
      infisical,
      ado,
      microsoftClientId: settings.microsoftClientId,
      now,
      random: () => crypto.randomUUID(),
      entraToken,
      oauthConsent: async () => {
        throw new Error('no OAuth consent in these tests');
      },
    }),
  });
  const inventory = createInventory({ services, ledger, now });
  const renewals = createRenewals({ services, ledger, runner, inventory, newId: () => crypto.randomUUID(), now });
  const removal = createRemoval({ services, ledger, inventory });
  return { services, settings, ledger, runner, inventory, renewals, removal, signIns, ado, infisical };
}
