import type { BoundaryError } from '../boundary-error';
import { redact } from '../redact';
import type { InfisicalRule } from './infisical';
import { asSentence, IDENTITIES, OPTIONS, PAT_PAGE, quotedName, type Catalogue, type Describe, type Entry } from './entry';

/**
 * Sentences for syncing secrets into an Azure DevOps project (docs/contracts.md A.9): Infisical's
 * answers to the secret-sync endpoints, the Azure DevOps project the page names, what the sync flow
 * itself refuses (utils/flow/sync-to-project.ts) and a failed sync run. describe-error.ts tries the
 * Infisical rules here before the general ones of infisical.ts, whose "already exists" and
 * permission sentences speak of connections.
 */

/** Where a project's roles and members are set: sync permissions are the project's, not the organization's (A.7). */
const PROJECT_ROLES = 'Infisical › your project › Access Control › Roles';
const PROJECT_IDENTITIES = 'Infisical › your project › Access Control › Machine Identities';
const PROJECT_SYNCS = 'Infisical › your project › Integrations › Secret Syncs';

/** The secret-sync actions the extension uses, and the words for each (A.9: create, read, sync-secrets). */
const SYNC_VERBS: Record<string, string> = {
  create: 'create secret syncs',
  read: 'read secret syncs',
  edit: 'change secret syncs',
  delete: 'delete secret syncs',
  'sync-secrets': 'run secret syncs',
  'remove-secrets': 'remove the secrets of secret syncs',
};

/** 403 `You are not allowed to <action> on secret-syncs` (A.6, A.9). */
const syncPermissionDenied: Describe = (e) => {
  const action = /not allowed to ([\w-]+) on/i.exec(e.message)?.[1] ?? /"action":"([\w-]+)"/.exec(e.detail ?? '')?.[1] ?? 'create';
  return {
    title: `The machine identity may not ${SYNC_VERBS[action] ?? `${action} secret syncs`} in this Infisical project.`,
    fix: `In ${PROJECT_ROLES}, give the identity’s project role the “secret-syncs: ${action}” permission (syncing from Azure DevOps pages needs read, create and sync-secrets), or make the identity a project Admin in ${PROJECT_IDENTITIES}.`,
  };
};

/** 403 on `secrets`: a sync reads the environment's secrets, so creating one checks that the identity may (A.9). */
const secretsPermissionDenied: Describe = () => ({
  title: 'The machine identity may not read the secrets of this environment and path, so it cannot sync them.',
  fix: `In ${PROJECT_ROLES}, give the identity’s project role read access to the secrets of that environment and path, or make the identity a project Admin in ${PROJECT_IDENTITIES}.`,
});

/** 404 `Could not find folder with path "/x" in environment "dev" …` (A.9). */
const folderMissing: Describe = (e) => {
  const path = /path\s+["'“]([^"'”]+)["'”]/i.exec(e.message)?.[1];
  const env = /environment\s+["'“]([^"'”]+)["'”]/i.exec(e.message)?.[1];
  return {
    title: path && env ? `The Infisical project has no folder “${path}” in the environment “${env}”.` : 'The Infisical project has no such environment or secret path.',
    fix: 'Pick an environment the project has and an existing secret path (“/” is the environment’s root), or create the folder in Infisical first, then try again.',
  };
};

/**
 * Infisical's answers to the sync endpoints; `id`s are prefixed `sync-` so they stay apart from
 * infisical.ts's rules. Tried before those (describe-error.ts).
 */
export const SECRET_SYNC_RULES: readonly InfisicalRule[] = [
  { id: 'sync-permission-denied', status: 403, match: /^PermissionDenied\b.*\bon secret[- ]?syncs\b/i, entry: syncPermissionDenied },
  { id: 'sync-secrets-permission-denied', status: 403, match: /^PermissionDenied\b.*\bon secrets\b/i, entry: secretsPermissionDenied },
  // `getIdentityProjectPermission` without a membership: the sentence is in the body's `error`, the message generic (docs/contracts.md A.7).
  {
    id: 'sync-not-a-member',
    status: 403,
    match: /not a member of the specified project/i,
    entry: { title: 'The machine identity is not a member of this Infisical project.', fix: `Add the machine identity to the project in ${PROJECT_IDENTITIES} with a role that may create secret syncs, or pick another project.` },
  },
  {
    id: 'sync-project-not-found',
    status: 404,
    match: /Project with ID .* not found/i,
    entry: {
      title: 'Infisical has no project with this ID that the machine identity can see.',
      fix: `Add the machine identity to the project in ${PROJECT_IDENTITIES} (with a role that may create secret syncs), or pick another project.`,
    },
  },
  // Infisical answers a missing folder or environment with 400 BadRequest (the sandbox follows it); 404 in older builds.
  { id: 'sync-folder-not-found', status: [400, 404], match: /Could not find folder|environment .*not found|Environment with slug/i, entry: folderMissing },
  {
    id: 'sync-not-found',
    status: 404,
    match: /Sync with (ID|name)/i,
    entry: { title: 'Infisical no longer has this secret sync: it was deleted there.', fix: 'Sync the Azure DevOps project again from its page to create a new one.' },
  },
  {
    id: 'sync-duplicate-name',
    status: 400,
    match: /Secret Sync with the name/i,
    entry: (e) => {
      const name = quotedName(e.message);
      return {
        title: `A secret sync named ${name ? `“${name}”` : 'like this one'} already exists in this Infisical project.`,
        fix: `Open it in ${PROJECT_SYNCS}: use it as it is, or delete it there and try again.`,
      };
    },
  },
];

function statusMatches(rule: InfisicalRule, status: number | undefined): boolean {
  if (rule.status === undefined) return true;
  if (status === undefined) return false;
  return typeof rule.status === 'number' ? status === rule.status : status >= rule.status[0] && status <= rule.status[1];
}

/** The sync rule for an Infisical error, or null when none is about syncs. */
export function findSecretSyncRule(e: BoundaryError): InfisicalRule | null {
  const text = `${e.code} ${e.message}`;
  return SECRET_SYNC_RULES.find((r) => statusMatches(r, e.status) && (r.match === undefined || r.match.test(text))) ?? null;
}

export function describeSecretSyncAnswer(e: BoundaryError): Entry | null {
  const rule = findSecretSyncRule(e);
  if (!rule) return null;
  return typeof rule.entry === 'function' ? rule.entry(e) : rule.entry;
}

/** The Azure DevOps project a page names (utils/azure-devops/project-reads.ts, TF200016). */
export const SECRET_SYNC_AZURE_DEVOPS: Catalogue = {
  'project-not-found': (e) => {
    const project = quotedName(e.message);
    return {
      title: project ? `Azure DevOps has no project “${project}” in this organization that your account can see.` : 'Azure DevOps has no such project in this organization that your account can see.',
      fix: 'Open the project in Azure DevOps and start again from its page (a renamed project has a new address), or ask a project administrator to add your account to it.',
    };
  },
};

const RENEW = 'renew the organization’s connection in the extension’s connections view';

/**
 * A sync run's `lastSyncMessage` when its status is `failed` (A.9), with the fix. Infisical's own
 * words are kept in the details, not guessed at beyond what the job is known to say.
 */
export function syncFailure(message: string): Entry {
  if (/Unsupported connection method/i.test(message)) {
    return {
      title: 'This Infisical instance cannot sync with a service-principal (client secret) connection.',
      fix: 'Make the organization’s connection with “Sign in with Microsoft” (a personal access token) or with Infisical’s OAuth app, then choose it for the sync.',
    };
  }
  // A 203 sign-in page instead of the list breaks the job with '… is not iterable' (A.9 job step 5).
  if (/\b(401|203)\b|unauthori[sz]ed|expired|not iterable/i.test(message)) {
    return { title: 'Azure DevOps refused the connection’s credentials when Infisical synced.', fix: `The token may have expired or been revoked: ${RENEW}, then click Sync now.` };
  }
  if (/\b403\b|forbidden|permission/i.test(message)) {
    return {
      title: 'Azure DevOps did not let the connection write the project’s variable groups.',
      fix: `The connection’s token needs Variable Groups (read, create and manage) (${PAT_PAGE}), and its owner must be allowed to manage the project’s library; ${RENEW}, then click Sync now.`,
    };
  }
  if (/\b404\b|does not exist|TF200016/i.test(message)) {
    return { title: 'Azure DevOps could not find the project the sync writes to.', fix: 'The project may have been deleted or moved: sync again from the project’s page to create a new sync.' };
  }
  return { title: asSentence(redact(`Infisical could not sync the secrets into Azure DevOps: ${message || 'no reason given'}`)), fix: 'Correct what it names, then click Sync now.' };
}

const named = (e: BoundaryError, what: string) => {
  const name = quotedName(e.message);
  return name ? `${what} “${name}”` : `this ${what}`;
};

/** What the sync flow refuses itself (utils/flow/sync-to-project.ts). */
export const SECRET_SYNC_EXTENSION: Catalogue = {
  // utils/worker/syncs.ts: the create goes ahead only on the plan the person confirmed.
  'plan-changed': {
    title: 'What the sync would do changed since you reviewed it (a variable group or the connection appeared or went), so nothing was written.',
    fix: 'Review it again, then create it.',
  },
  'sync-connection-method': (e) => ({
    title: `${quotedName(e.message) ? `The connection “${quotedName(e.message)}”` : 'The organization’s connection'} signs in with a client secret, and Infisical cannot sync with such a connection: every run would fail.`,
    fix: 'Make the organization’s connection with “Sign in with Microsoft” (a personal access token) or Infisical’s OAuth app under another name, set that name as the template in the extension’s options, then try again.',
  }),
  'sync-refused-connection-kept': (e) => ({
    title: `Infisical refused the sync, and the connection “${quotedName(e.message) ?? 'made for it'}” could not be taken back.`,
    fix: `Delete it in the extension’s connections view (this revokes its token), then fix what the refusal named: ${asSentence(e.detail ?? 'see the details')}`,
  }),
  'sync-unknown': { title: 'The extension has no record of that secret sync in this project.', fix: 'Open the panel again from the project’s page.' },
  'infisical-project-missing': {
    title: 'The machine identity is not a member of that Infisical project, or it no longer exists.',
    fix: `Add the machine identity to the project in ${PROJECT_IDENTITIES}, or pick one of the projects listed; the identity is the one ${OPTIONS} (${IDENTITIES}).`,
  },
  'environment-missing': (e) => ({ title: `The Infisical project has no ${named(e, 'environment')}.`, fix: 'Pick one of the project’s environments and try again.' }),
  'sync-exists': (e) => ({
    title: `${quotedName(e.message) ? `The secret sync “${quotedName(e.message)}”` : 'A secret sync'} already syncs this environment into the Azure DevOps project.`,
    fix: `Use it as it is (Sync now runs it), or delete it in ${PROJECT_SYNCS} and try again.`,
  }),
  // The message is the run's lastSyncMessage, as Infisical gave it.
  'sync-failed': (e) => syncFailure(e.message),
};
