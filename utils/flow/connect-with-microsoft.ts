import { INFISICAL_PAT_SCOPES } from '../config/endpoints';
import { AzureDevOpsError, ExtensionError } from '../errors/boundary-error';
import type { AzureDevOpsClient } from '../azure-devops/client';
import type { ConnectRequest } from './connect-request';
import { lookupEarly, type ConnectDeps, type ConnectOutcome } from './deps';
import { resolveTarget, saveConnection } from './save-connection';

type MicrosoftRequest = Extract<ConnectRequest, { method: 'microsoft' }>;
const DAY_MS = 86_400_000;

/**
 * The default method: Microsoft sign-in (PKCE) → access check → least-privilege org-scoped PAT →
 * `access-token` connection. A PAT minted here and not delivered is revoked before the error
 * surfaces; on update, the PAT it replaces is revoked after the update.
 * @throws MicrosoftError, AzureDevOpsError, InfisicalError or ExtensionError.
 */
export async function connectWithMicrosoft(request: MicrosoftRequest, deps: ConnectDeps): Promise<ConnectOutcome> {
  const { ado } = deps;
  // Independent of the sign-in, so it runs alongside it: Infisical login + the name lookup.
  const existing = lookupEarly(deps, request.connectionName);

  await deps.onStep('sign-in');
  const clientId = deps.microsoftClientId || (await instanceClientId(deps));
  let entra = await deps.entraToken({ clientId, tenant: request.tenant });

  await deps.onStep('check-access');
  try {
    await ado.listProjects(request.org, { bearer: entra.accessToken });
  } catch (error) {
    // A remembered token Azure DevOps no longer accepts: sign in again, once.
    if (!(entra.fromCache && error instanceof AzureDevOpsError && error.code === 'unauthorized')) throw error;
    await deps.onStep('sign-in');
    entra = await deps.entraToken({ clientId, tenant: request.tenant, fresh: true });
    await deps.onStep('check-access');
    await ado.listProjects(request.org, { bearer: entra.accessToken });
  }
  const bearer = entra.accessToken;
  // Tokens left by flows the browser stopped: this sign-in can revoke them now.
  const leftovers = (await deps.leftoverPats()).filter((p) => p.tenant.toLowerCase() === request.tenant.toLowerCase());
  await Promise.all(
    leftovers.map((p) => ado.revokePat(p.org, bearer, p.authorizationId).then(() => deps.forgetLeftover(p.authorizationId), () => undefined)),
  );
  const target = resolveTarget(await existing, request, 'access-token');

  await deps.onStep('create-token');
  const requestedValidTo = new Date(deps.now().getTime() + request.patLifetimeDays * DAY_MS);
  const pat = await ado.createPat(request.org, bearer, {
    displayName: `Infisical ${request.connectionName}`,
    scope: INFISICAL_PAT_SCOPES.join(' '),
    validTo: requestedValidTo.toISOString(),
  });

  await deps.pendingPat({
    authorizationId: pat.authorizationId,
    validTo: pat.validTo,
    org: request.org,
    tenant: request.tenant,
    clientId,
    instanceUrl: deps.infisical.baseUrl,
    connectionName: request.connectionName,
    previousVersion: target.kind === 'update' ? versionOf(target.connection) : null,
    mintedAt: deps.now().toISOString(),
  });

  await deps.onStep('save');
  let connection;
  try {
    connection = await saveConnection(deps, target, request, 'access-token', { accessToken: pat.token, orgName: request.org });
  } catch (error) {
    await revokeOrExplain(ado, request.org, bearer, pat.authorizationId, error);
    await deps.pendingPat(null);
    throw error;
  }
  await deps.pendingPat(null);
  if (target.kind === 'update') {
    // Rotation: the token the connection held before is of no use any more.
    const previous = await deps.recordedPat(connection.id);
    if (previous && previous !== pat.authorizationId) await ado.revokePat(request.org, bearer, previous).catch(() => undefined);
  }
  return {
    connection,
    tenantId: entra.tenantId,
    updated: target.kind === 'update',
    pat: { authorizationId: pat.authorizationId, validTo: pat.validTo },
    expiryClamped: new Date(pat.validTo).getTime() < requestedValidTo.getTime() - DAY_MS,
  };
}

export function versionOf(connection: object): number | null {
  const version = (connection as { version?: unknown }).version;
  return typeof version === 'number' ? version : null;
}

/** No Microsoft client ID in the options: sign in with the instance's own Azure DevOps app (A.4). */
async function instanceClientId(deps: ConnectDeps): Promise<string> {
  const id = await deps.session.withToken((token) => deps.infisical.azureDevOpsOAuthClientId(token));
  if (!id) throw new ExtensionError('microsoft-client-missing', 'No Microsoft app (client) ID is configured.');
  return id;
}

/** Revoke the undelivered PAT and say so in the original error's details (or that it failed). */
async function revokeOrExplain(ado: AzureDevOpsClient, org: string, bearer: string, authorizationId: string, original: unknown) {
  let note = ' The token created for this attempt was revoked.';
  try {
    await ado.revokePat(org, bearer, authorizationId);
  } catch {
    note = ` The token created for Infisical could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${authorizationId}).`;
  }
  if (original && typeof original === 'object') {
    Object.assign(original, { detail: `${(original as { detail?: string }).detail ?? ''}${note}` });
  }
}
