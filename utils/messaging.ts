import { defineExtensionMessaging } from '@webext-core/messaging';
import type { FlowState, UserMessage } from './flow/flow-state';
import type { EntraToken, MsalBeginRequest } from './microsoft/types';
import type { SetupCheckItem } from './setup/check-items';
import type { ConnectionsView, RowOutcome } from './connections/view-model';
import type { ConnectionScopes } from './infisical/scopes';
import type { ConfirmedPlan, SyncChoice, SyncCreateAnswer, SyncLine, SyncPanelOptions, SyncPlan } from './syncs/sync-line';

/**
 * Every message between extension contexts, in one place. Inputs are validated again by the
 * receiver (zod), because a message is a boundary like any other.
 */

/** What the popup shows about an existing connection of the same name (no secrets). */
export interface ExistingConnection {
  id: string;
  method: 'oauth' | 'access-token' | 'client-secret';
  org: string;
  updatedAt: string | null;
}

/** Answered by the background worker; only its own pages may ask. */
export interface BackgroundProtocol {
  /** Start a connect flow; answers with the initial progress state. */
  'connect.start'(input: unknown): FlowState;
  /** Forget the finished flow so the popup shows the form again. */
  'flow.dismiss'(request: { id: string }): void;
  /** The org's Entra tenant, without sign-in (docs/contracts.md B.4). */
  'discover.tenant'(input: { org: string }): { tenantId: string; msa: boolean };
  /** The Infisical connection with this name in this scope (null: the organization's), if any. */
  'connection.lookup'(input: { name: string; projectId?: string | null }): ExistingConnection | null;
  /** Sign in and list the organisations the user belongs to (B.3). */
  'orgs.list'(input: { tenant: string }): string[];
  /** The Infisical projects a new connection may belong to, when the instance supports that (utils/infisical/scopes.ts). */
  'instance.scopes'(): ConnectionScopes;
  /** Which optional methods the instance supports. */
  'instance.methods'(): { oauth: boolean };
  /** The options page's setup check. */
  'setup.check'(input: { testSignIn: boolean; tenant?: string }): SetupCheckItem[];
  /** A Microsoft sign-in for this tenant is likely soon: get MSAL ready (docs/performance.md: off the click's path). */
  'signin.prepare'(input: { tenant: string }): void;
  /** The OAuth callback page reports where Microsoft sent it. */
  'oauth.callback'(input: { url: string }): void;
  /**
   * Every Azure DevOps connection of the instance with its status (utils/connections/view-model.ts).
   * `refresh`: read Infisical's list and, where a silent token is held, Azure DevOps' PAT states;
   * otherwise the last ones read (or the records alone), without a request.
   */
  'connections.list'(input: { refresh: boolean }): ConnectionsView;
  /** Renew (or, for an access-token connection made elsewhere, replace) one connection's PAT; answers when done. */
  'connections.renew'(input: { id: string }): RowOutcome;
  /** Renew every expiring, expired and revoked connection; progress in `session:renewals`; answers when all are done. */
  'connections.renewAll'(): RowOutcome[];
  /** Every secret sync made here (utils/worker/syncs.ts); `refresh` reads their states from Infisical first. */
  'syncs.list'(input: { refresh: boolean }): SyncLine[];
  /** Run one sync made here now. */
  'syncs.run'(input: { syncId: string }): SyncLine;
  /** Delete the connection in Infisical, revoke its PAT, forget its record. */
  'connections.remove'(input: { id: string }): RowOutcome;
  /** A connection gone from Infisical: revoke the PAT its record names and forget the record. */
  'connections.forget'(input: { id: string }): RowOutcome;
}

/** What the background answers a one-click connect from an Azure DevOps page. */
export type PageConnectAnswer =
  | { kind: 'started'; flow: FlowState }
  | {
      kind: 'exists';
      name: string;
      method: string;
      updatedAt: string | null;
      canUpdate: boolean;
      /** Its PAT expired, was revoked or expires within the warning window (utils/connections/badge.ts `statusPhrase`), and it can be renewed here. */
      renewal: string | null;
    }
  | { kind: 'setup'; missing: string }
  | { kind: 'error'; error: UserMessage };

/**
 * The only messages a content script may send: connect the org of the page it runs on, and read
 * that flow's progress. The background checks the sender's URL is that org's Azure DevOps page.
 * Flows are told apart by their ConnectionKey (utils/connection-key.ts): the background completes
 * it with the configured instance and the organization's scope; the page names the connection
 * (`name`, the flow it follows) or leaves it to the name template.
 */
export interface PageProtocol {
  'page.connect'(input: { org: string; mode?: 'create' | 'update' | 'renew' }): PageConnectAnswer;
  'page.status'(input: { org: string; name?: string }): FlowState | null;
  /** Secret syncs into the page's project (entrypoints/background/page-sync-handlers.ts): only that org and project. */
  'page.sync.options'(input: { org: string; project: string }): PageSyncAnswer<SyncPanelOptions>;
  'page.sync.plan'(input: { org: string; project: string; choice: SyncChoice }): PageSyncAnswer<SyncPlan>;
  'page.sync.create'(input: { org: string; project: string; choice: SyncChoice; confirmed: ConfirmedPlan }): PageSyncAnswer<SyncCreateAnswer>;
  'page.sync.line'(input: { org: string; project: string; syncId: string }): PageSyncAnswer<SyncLine>;
  'page.sync.run'(input: { org: string; project: string; syncId: string }): PageSyncAnswer<SyncLine>;
}

/** A sync answer to a page: the value, or the error in words (and `kind: 'setup'` when the options page was opened). */
export type PageSyncAnswer<T> = { ok: true; value: T } | { ok: false; error: UserMessage; kind?: 'setup'; missing?: string };

/** Answered by the context that runs MSAL (the offscreen document on Chromium). */
export interface MsalProtocol {
  'msal.warm'(request: MsalBeginRequest): { authorizeUrl: string };
  'msal.begin'(request: MsalBeginRequest): { authorizeUrl: string };
  'msal.complete'(request: { responseUrl: string }): EntraToken;
  'msal.end'(): void;
}

export const backgroundMessaging = defineExtensionMessaging<BackgroundProtocol>();
export const msalMessaging = defineExtensionMessaging<MsalProtocol>();
export const pageMessaging = defineExtensionMessaging<PageProtocol>();
