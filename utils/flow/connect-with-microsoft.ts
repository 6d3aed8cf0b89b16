import { INFISICAL_PAT_SCOPES } from '../config/endpoints';
import { DEFAULT_TIMEOUT_MS } from '../http/request';
import { AzureDevOpsError, ExtensionError } from '../errors/boundary-error';
import type { AzureDevOpsClient, ListedPat } from '../azure-devops/client';
import type { ConnectRequest } from './connect-request';
import type { AppConnection } from '../infisical/schemas';
import type { PendingPat } from '../storage/records';
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
  const clientId = await signInClientId(deps);
  let entra = await deps.entraToken({ clientId, tenant: request.tenant });

  await deps.onStep('check-access');
  // Read while the access check is out, not after it (docs/performance.md).
  const leftoverList = deps.pats.leftovers();
  leftoverList.catch(() => undefined);
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
  // Tokens left by flows the browser stopped: this sign-in can revoke them now, unless the
  // connection they were made for was saved after all (then they are in use and stay).
  const leftovers = (await leftoverList).filter((p) => p.tenant.toLowerCase() === request.tenant.toLowerCase());
  await Promise.all(
    leftovers.map(async (p) => {
      try {
        if (!(await deliveredConnection(deps, p))) {
          for (const left of await patsOf(ado, bearer, p)) await ado.revokePat(p.org, bearer, left.authorizationId);
        }
        await deps.pats.forgetLeftover(p.flowId);
      } catch {
        // Left for a later sign-in or the next start; this flow goes on.
      }
    }),
  );
  const target = resolveTarget(await existing, request, 'access-token');

  await deps.onStep('create-token');
  // On update: the PAT this extension recorded for the connection, which the new one replaces.
  const replaced = target.kind === 'update' ? deps.pats.recorded(target.connection.id).catch(() => null) : Promise.resolve(null);
  const mintStarted = deps.now();
  const requestedValidTo = new Date(mintStarted.getTime() + request.patLifetimeDays * DAY_MS);
  const displayName = patDisplayName(request.connectionName);
  const record = (pat: { authorizationId: string | null; validTo: string }, replaces: string | null) => ({
    ...pat,
    org: request.org,
    tenant: request.tenant,
    clientId,
    instanceUrl: deps.infisical.baseUrl,
    connectionName: request.connectionName,
    previousVersion: target.kind === 'update' ? versionOf(target.connection) : null,
    replaces,
    mintedAt: mintStarted.toISOString(),
  });
  // The record a restarted background recovers from is written while the PAT is being asked for,
  // not after it is made, so the create to Infisical does not wait for a storage write (docs/performance.md),
  // and a background stopped at any point from here on leaves a record. Until the PAT's id is
  // known, recovery finds it by its name and the expiry asked for (`patsOf`).
  const intent = replaced.then((keep) => deps.pats.pending(record({ authorizationId: null, validTo: requestedValidTo.toISOString() }, keep)));
  intent.catch(() => undefined);
  let pat;
  try {
    pat = await ado.createPat(request.org, bearer, { displayName, scope: INFISICAL_PAT_SCOPES.join(' '), validTo: requestedValidTo.toISOString() });
  } catch (error) {
    // The answer was lost, not refused: the token may exist. Never create again blindly; find it and revoke it.
    if (error instanceof AzureDevOpsError && (error.code === 'timeout' || error.code === 'network')) {
      await revokeLostPat(ado, request.org, bearer, { displayName, since: mintStarted, validTo: requestedValidTo, keep: await replaced }, error);
    }
    await intent.catch(() => undefined);
    await deps.pats.pending(null);
    throw error;
  }

  // No PAT leaves for Infisical without its record: one that could not be written stops here.
  try {
    await intent;
  } catch (cause) {
    const error = new ExtensionError('storage-failed', 'The pending-PAT record could not be written.', { cause, detail: `${cause instanceof Error ? cause.message : String(cause)}.` });
    await revokeOrExplain(ado, request.org, bearer, pat.authorizationId, error);
    throw error;
  }
  // With the PAT's id, for an exact recovery. The create does not wait for it: the record above
  // already covers the PAT.
  void deps.pats.pending(record(pat, await replaced)).catch(() => undefined);

  await deps.onStep('save');
  let connection;
  try {
    connection = await saveConnection(deps, target, request, 'access-token', { accessToken: pat.token, orgName: request.org });
  } catch (error) {
    await revokeOrExplain(ado, request.org, bearer, pat.authorizationId, error);
    await deps.pats.pending(null);
    throw error;
  }
  await deps.pats.pending(null);
  // Rotation: the token the connection held before is of no use any more.
  const previous = await replaced;
  if (previous && previous !== pat.authorizationId) await ado.revokePat(request.org, bearer, previous).catch(() => undefined);
  return {
    connection,
    tenantId: entra.tenantId,
    clientId,
    updated: target.kind === 'update',
    pat: { authorizationId: pat.authorizationId, validTo: pat.validTo },
    expiryClamped: new Date(pat.validTo).getTime() < requestedValidTo.getTime() - DAY_MS,
  };
}

/**
 * The connection a pending PAT was minted for, when Infisical has it with that PAT: an
 * access-token connection of that name, created (or, for an update, updated) after the mint.
 */
export async function deliveredConnection(deps: Pick<ConnectDeps, 'infisical' | 'session'>, pending: PendingPat): Promise<AppConnection | null> {
  const found = await deps.session.withToken((t) => deps.infisical.findConnectionByName(t, pending.connectionName));
  const delivered = found && found.method === 'access-token' && (pending.previousVersion === null || (versionOf(found) ?? 0) > pending.previousVersion);
  return delivered ? found : null;
}

export function versionOf(connection: object): number | null {
  const version = (connection as { version?: unknown }).version;
  return typeof version === 'number' ? version : null;
}

/**
 * The Microsoft client ID to sign in with: the options', else the instance's own Azure DevOps
 * OAuth app (A.4). Also used by the background for the org picker and `signin.prepare`.
 * @throws ExtensionError `microsoft-client-missing`, InfisicalError.
 */
export async function signInClientId(deps: Pick<ConnectDeps, 'microsoftClientId' | 'infisical' | 'session'>): Promise<string> {
  if (deps.microsoftClientId) return deps.microsoftClientId;
  const id = await deps.session.withToken((token) => deps.infisical.azureDevOpsOAuthClientId(token));
  if (!id) throw new ExtensionError('microsoft-client-missing', 'No Microsoft app (client) ID is configured.');
  return id;
}

/** Clocks differ: a token made by an attempt may carry a creation time somewhat off its start. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** Before looking a second time for a token whose create answer was lost. */
const LOOK_AGAIN_MS = 3_000;

/** A PAT create: the token's name, when it began, the expiry asked for, and the token it must never touch. */
interface MintAttempt {
  displayName: string;
  since: Date;
  validTo: Date;
  keep: string | null;
}

export const patDisplayName = (connectionName: string) => `Infisical ${connectionName}`;

/**
 * Whether a listed PAT is the one an attempt made: its name and the expiry asked for, to the
 * second (which tells one attempt from another whatever the clocks say); or, when the org's policy
 * shortened the expiry, its name and made while the attempt's request could have been answered
 * (its start to its timeout, give or take the clocks' skew), so that a token of that name made by
 * another attempt (an earlier connection, a later retry) does not pass for it. The token of the
 * connection being updated (`keep`) never matches.
 */
function madeBy(p: ListedPat, attempt: MintAttempt): boolean {
  if (p.displayName !== attempt.displayName || p.authorizationId === attempt.keep || !p.validTo) return false;
  const validTo = Date.parse(p.validTo);
  const asked = attempt.validTo.getTime();
  if (Math.abs(validTo - asked) < 1000) return true;
  if (validTo > asked || p.validFrom === null) return false;
  const madeAt = Date.parse(p.validFrom);
  const since = attempt.since.getTime();
  return madeAt >= since - CLOCK_SKEW_MS && madeAt <= since + DEFAULT_TIMEOUT_MS + CLOCK_SKEW_MS;
}

/** The PATs of the org that the attempt made (`madeBy`), as Azure DevOps lists them now. */
async function listMadeBy(ado: AzureDevOpsClient, org: string, bearer: string, attempt: MintAttempt): Promise<ListedPat[]> {
  return (await ado.listPats(org, bearer)).filter((p) => madeBy(p, attempt));
}

/**
 * The PATs a pending record stands for: its own, or, for a record written while the PAT was being
 * asked for (no id yet), those Azure DevOps made for that attempt (none if it never got there).
 */
export async function patsOf(ado: AzureDevOpsClient, bearer: string, pending: PendingPat): Promise<{ authorizationId: string; validTo: string }[]> {
  if (pending.authorizationId) return [{ authorizationId: pending.authorizationId, validTo: pending.validTo }];
  const attempt = { displayName: patDisplayName(pending.connectionName), since: new Date(pending.mintedAt), validTo: new Date(pending.validTo), keep: pending.replaces ?? null };
  return (await listMadeBy(ado, pending.org, bearer, attempt)).map((p) => ({ authorizationId: p.authorizationId, validTo: p.validTo! }));
}

/**
 * A PAT create whose answer was lost: revoke the token this attempt made (`madeBy`), if Azure
 * DevOps made it, and say what happened.
 */
async function revokeLostPat(
  ado: AzureDevOpsClient,
  org: string,
  bearer: string,
  attempt: MintAttempt,
  original: AzureDevOpsError,
) {
  let note: string;
  try {
    // Azure DevOps may still be creating it when the answer is given up on: look twice.
    let lost = await listMadeBy(ado, org, bearer, attempt);
    if (lost.length === 0) {
      await new Promise((r) => setTimeout(r, LOOK_AGAIN_MS));
      lost = await listMadeBy(ado, org, bearer, attempt);
    }
    await Promise.all(lost.map((p) => ado.revokePat(org, bearer, p.authorizationId)));
    note =
      lost.length > 0
        ? ' Azure DevOps had created the token before the answer was lost; it was found and revoked.'
        : ` No token had been created when the extension looked (twice); if one named “${attempt.displayName}” appears in Azure DevOps › User settings › Personal access tokens, revoke it.`;
  } catch {
    note = ` A token named “${attempt.displayName}” may have been created; check Azure DevOps › User settings › Personal access tokens and revoke it.`;
  }
  addToDetail(original, note);
}

/** Revoke the undelivered PAT and say so in the original error's details (or that it failed). */
async function revokeOrExplain(ado: AzureDevOpsClient, org: string, bearer: string, authorizationId: string, original: unknown) {
  let note = ' The token created for this attempt was revoked.';
  try {
    await ado.revokePat(org, bearer, authorizationId);
  } catch {
    note = ` The token created for Infisical could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${authorizationId}).`;
  }
  addToDetail(original, note);
}

/** Append what happened to the token to the original error's details, which the user sees. */
function addToDetail(error: unknown, note: string): void {
  if (error && typeof error === 'object') Object.assign(error, { detail: `${(error as { detail?: string }).detail ?? ''}${note}` });
}
