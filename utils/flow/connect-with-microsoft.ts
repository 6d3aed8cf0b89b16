import { INFISICAL_PAT_SCOPES } from '../config/endpoints';
import { ExtensionError } from '../errors/boundary-error';
import type { AzureDevOpsClient } from '../azure-devops/client';
import type { InfisicalClient } from '../infisical/client';
import type { InfisicalSession } from '../infisical/session';
import type { AppConnection } from '../infisical/schemas';
import type { MicrosoftSignIn } from '../microsoft/sign-in';
import type { StepId } from './flow-state';
import type { ConnectRequest } from './connect-request';

export interface ConnectDeps {
  signIn: MicrosoftSignIn;
  microsoftClientId: string;
  ado: AzureDevOpsClient;
  infisical: InfisicalClient;
  session: InfisicalSession;
  now: () => Date;
  onStep: (step: StepId) => Promise<void>;
}

export interface ConnectOutcome {
  connection: AppConnection;
  tenantId: string;
  pat: { authorizationId: string; validTo: string };
  /** The org's maximum-lifespan policy shortened the requested expiry (contracts.md B.1). */
  expiryClamped: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The default method: Microsoft sign-in (PKCE) → access check → least-privilege org-scoped PAT →
 * `access-token` connection in Infisical. A PAT minted here and not delivered is revoked before
 * the error surfaces.
 * @throws MicrosoftError, AzureDevOpsError, InfisicalError or ExtensionError (`name-taken`).
 */
export async function connectWithMicrosoft(request: ConnectRequest, deps: ConnectDeps): Promise<ConnectOutcome> {
  const { ado, infisical, session } = deps;

  // Independent of the sign-in, so it runs alongside it: Infisical login + the name lookup.
  const existing = session.withToken((token) => infisical.findConnectionByName(token, request.connectionName));
  existing.catch(() => undefined);

  await deps.onStep('sign-in');
  const entra = await deps.signIn({ clientId: deps.microsoftClientId, tenant: request.tenant });
  const bearer = entra.accessToken;

  await deps.onStep('check-access');
  await ado.listProjects(request.org, { bearer });
  if (await existing) {
    throw new ExtensionError('name-taken', `A connection named '${request.connectionName}' already exists in Infisical.`);
  }

  await deps.onStep('create-token');
  const requestedValidTo = new Date(deps.now().getTime() + request.patLifetimeDays * DAY_MS);
  const pat = await ado.createPat(request.org, bearer, {
    displayName: `Infisical ${request.connectionName}`,
    scope: INFISICAL_PAT_SCOPES.join(' '),
    validTo: requestedValidTo.toISOString(),
  });

  await deps.onStep('save');
  let connection: AppConnection;
  try {
    connection = await session.withToken((token) =>
      infisical.createConnection(token, {
        name: request.connectionName,
        ...(request.description ? { description: request.description } : {}),
        method: 'access-token',
        credentials: { accessToken: pat.token, orgName: request.org },
      }),
    );
  } catch (error) {
    await revokeOrExplain(ado, request.org, bearer, pat.authorizationId, error);
    throw error;
  }

  return {
    connection,
    tenantId: entra.tenantId,
    pat: { authorizationId: pat.authorizationId, validTo: pat.validTo },
    expiryClamped: new Date(pat.validTo).getTime() < requestedValidTo.getTime() - DAY_MS,
  };
}

/** Revoke the undelivered PAT; if even that fails, say so in the original error's details. */
async function revokeOrExplain(
  ado: AzureDevOpsClient,
  org: string,
  bearer: string,
  authorizationId: string,
  original: unknown,
): Promise<void> {
  try {
    await ado.revokePat(org, bearer, authorizationId);
    if (original && typeof original === 'object') {
      const note = ' The token created for this attempt was revoked.';
      Object.assign(original, { detail: `${(original as { detail?: string }).detail ?? ''}${note}` });
    }
  } catch {
    if (original && typeof original === 'object') {
      const note = ` The token created for Infisical could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${authorizationId}).`;
      Object.assign(original, { detail: `${(original as { detail?: string }).detail ?? ''}${note}` });
    }
  }
}
