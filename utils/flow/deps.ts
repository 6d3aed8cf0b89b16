import type { AzureDevOpsClient } from '../azure-devops/client';
import type { InfisicalApi } from '../infisical/api';
import type { AppConnection } from '../infisical/schemas';
import type { EntraToken } from '../microsoft/types';
import type { PendingPat } from '../storage/records';
import type { OAuthWaitStart } from './connect-with-infisical-oauth';
import type { StepId } from './flow-state';

/**
 * Everything the connect flows touch, injected so each flow can run against fakes or the sandbox.
 * Each method takes only its part (`MicrosoftDeps`, `PatDeps`, … beside each flow); run-connect.ts
 * hands every method the whole.
 */
export interface ConnectDeps {
  /** An Entra token for Azure DevOps (cached in memory by the background; `fresh` bypasses it). */
  entraToken: (request: { clientId: string; tenant: string; fresh?: boolean }) => Promise<EntraToken>;
  /** The Microsoft client ID from the options; empty means "use the instance's oauthClientId". */
  microsoftClientId: string;
  /** Open Microsoft's authorize page for Infisical's OAuth app and return the callback URL (`wait.callbackUrl` with Microsoft's query). */
  oauthConsent: (authorizeUrl: string, wait: OAuthWaitStart) => Promise<string>;
  ado: AzureDevOpsClient;
  /** The configured instance's API, bound to the machine identity's session. */
  infisical: InfisicalApi;
  /** The records a flow keeps of the PATs it mints, kept by the background's ledger. */
  pats: PatLedger;
  now: () => Date;
  random: () => string;
  onStep: (step: StepId) => Promise<void>;
}

/**
 * What a flow tells the background about PATs, so that none is lost: the one it is minting, the
 * ones interrupted flows left, the one a connection held before (utils/worker/flow-runner.ts).
 */
export interface PatLedger {
  /** Remember this flow's PAT (no secret), asked for or minted, until it is delivered or revoked; null: it is settled. The runner adds the key's scope. */
  pending: (pending: Omit<PendingPat, 'flowId' | 'projectId'> | null) => Promise<void>;
  /** PATs interrupted flows left undelivered (see recover.ts); revoked once a token for their tenant is at hand. */
  leftovers: () => Promise<PendingPat[]>;
  /** A leftover PAT was revoked (or found in use): forget the record of the flow that left it. */
  forgetLeftover: (flowId: string) => Promise<void>;
  /** PAT authorization id recorded for a connection this extension made, for rotation. */
  recorded: (connectionId: string) => Promise<string | null>;
}

export interface ConnectOutcome {
  connection: AppConnection;
  tenantId: string;
  /** The Microsoft app (client) ID the person signed in with (Microsoft method), for a later renewal; else null. */
  clientId: string | null;
  updated: boolean;
  pat: { authorizationId: string; validTo: string } | null;
  /** The org's maximum-lifespan policy shortened the requested expiry (docs/contracts.md B.1). */
  expiryClamped: boolean;
}

/** The name lookup, started early and awaited when needed; its failure surfaces only then. */
export function lookupEarly(deps: Pick<ConnectDeps, 'infisical'>, request: { connectionName: string; projectId: string | null }): Promise<AppConnection | null> {
  const pending = deps.infisical.appConnections.findByName(request.connectionName, request.projectId);
  pending.catch(() => undefined);
  return pending;
}
