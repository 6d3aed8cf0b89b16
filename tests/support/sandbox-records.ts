import { createAzureDevOpsClient } from '../../utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, INFISICAL_PAT_SCOPES, PUBLIC_CLOUD } from '../../utils/config/endpoints';
import { createInfisicalApi } from '../../utils/infisical/api';
import type { PendingPat } from '../../utils/storage/records';
import { EXTENSION_APP, INFISICAL, TENANT } from '../sandbox/fixtures';
import { signIn } from '../sandbox/flows';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from './fetch-via-sandbox';

/** The sandbox Infisical's API for its machine identity, as the background builds it (utils/infisical/api.ts). */
export function sandboxInfisical(sandbox: Sandbox, fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem })) {
  return createInfisicalApi({
    instanceUrl: INFISICAL.siteUrl,
    fetch: fetchFn,
    now: () => Date.now(),
    credentials: async () => ({ clientId: INFISICAL.clientId, clientSecret: INFISICAL.clientSecret }),
  });
}

/**
 * A PAT minted in contoso by a flow that stopped before delivering it, and its pending-PAT record
 * as this build writes it (utils/storage/records.ts); the PAT's secret comes back beside the record,
 * never in it.
 */
export async function leftoverPat(sandbox: Sandbox, name: string, flowId: string): Promise<{ record: PendingPat & { authorizationId: string }; token: string }> {
  const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }) });
  const validTo = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const bearer = (await signIn(sandbox, AZURE_DEVOPS_SCOPE)).access_token;
  const pat = await ado.createPat('contoso', bearer, { displayName: `Infisical ${name}`, scope: INFISICAL_PAT_SCOPES.join(' '), validTo });
  const record = {
    authorizationId: pat.authorizationId,
    validTo: pat.validTo,
    org: 'contoso',
    tenant: TENANT.id,
    clientId: EXTENSION_APP.clientId,
    instanceUrl: INFISICAL.siteUrl,
    projectId: null,
    connectionName: name,
    previousVersion: null,
    mintedAt: new Date().toISOString(),
    flowId,
  };
  return { record, token: pat.token };
}
