import type { BoundaryError } from '../boundary-error';
import { METHOD_LABELS, methodLabel, type Method } from '../../flow/connect-request';
import { asSentence, IDENTITIES, METHOD_NAMES, OPTIONS, PAT_PAGE, SCOPE_LABELS, SCOPES, quotedName, type Catalogue, type Entry } from './entry';

const named = (e: BoundaryError) => {
  const name = quotedName(e.message);
  return name ? `A connection named “${name}”` : 'A connection with this name';
};

/** "A connection named X exists but uses a different method" (utils/flow/save-connection.ts; docs/contracts.md A.3). */
export function methodMismatch(e: BoundaryError): Entry {
  const method = /\b(oauth|access-token|client-secret)\b/.exec(`${e.message} ${e.detail ?? ''}`)?.[1];
  const how = method ? METHOD_NAMES[method] : undefined;
  return {
    title: `${named(e)} exists in Infisical but uses a different method, and the method of an existing connection cannot change.`,
    fix: how ? `To update it, choose ${how}, the method it was made with; otherwise pick another connection name.` : 'To update it, choose the method it was made with (shown in Infisical › Organization settings › App Connections); otherwise pick another connection name.',
  };
}

/** A connection of that name exists (ours before creating, or Infisical's 400, docs/contracts.md A.3). */
export function nameTaken(e: BoundaryError): Entry {
  return { title: `${named(e)} already exists in Infisical.`, fix: 'Choose another connection name, or choose to update the existing connection’s credentials.' };
}

/** A flow is running that this start would clash with: name it (utils/worker/flow-runner.ts). */
function flowRunning(e: BoundaryError): Entry {
  const name = quotedName(e.message);
  const org = / for ([A-Za-z0-9-]+)\b/.exec(e.message)?.[1];
  const method = /\(method ([a-z-]+)\)/.exec(e.message)?.[1] as Method | undefined;
  const label = method && Object.hasOwn(METHOD_LABELS, method) ? ` with “${methodLabel(method)}”` : '';
  return {
    title: name && org ? `The connection “${name}” is already being created for ${org}${label}.` : 'A connection is already being created.',
    fix: 'Wait for it to finish (the popup shows its progress), then start this one.',
  };
}

/** Problems inside the extension, with the setting or step that fixes them. */
export const EXTENSION: Catalogue = {
  interrupted: { title: 'The browser stopped the extension before it had created anything; nothing was created.', fix: 'Click Connect again to create the connection.' },
  'interrupted-revoked': { title: 'The browser stopped the extension before the connection was saved; the token it had created was revoked.', fix: 'Click Connect again to create the connection.' },
  'interrupted-none-found': { title: 'The browser stopped the extension while it was asking Azure DevOps for a token; none was found there afterwards, so most likely nothing was created.', fix: `Click Connect again. If a token named “Infisical <connection name>” shows up in ${PAT_PAGE}, revoke it.` },
  'interrupted-token-left': { title: 'The browser stopped the extension before the connection was saved, and the token it had created could not be revoked yet.', fix: `Click Connect again to sign in (the extension then revokes it), or revoke the token named “Infisical <connection name>” yourself in ${PAT_PAGE}.` },
  'storage-failed': { title: 'The extension could not write to the browser’s storage, so it stopped before sending the token it had created to Infisical.', fix: 'Free some disk space or restart the browser, then click Connect again.' },
  'not-configured': { title: 'The extension is not set up yet.', fix: 'Open the extension’s options and fill in the Infisical instance, machine identity and Microsoft app ID.' },
  'identity-missing': { title: 'No Infisical machine identity is set up.', fix: `Enter the machine identity’s client ID and client secret ${OPTIONS} (the secret is forgotten when the browser closes unless you ticked “remember”).` },
  // utils/infisical/session.ts: Universal Auth locks the identity, for all its users, after 3 failed logins.
  'secret-refused': {
    title: 'Infisical refused the machine identity’s client ID or secret, so the extension does not send this secret again: each failed login counts towards locking the identity for everyone who uses it.',
    fix: `Check the client ID and enter the correct client secret ${OPTIONS}, then save; or create a new secret in ${IDENTITIES} › your identity › Universal Auth and enter that.`,
  },
  'permission-missing': { title: 'The extension may not contact your Infisical instance yet.', fix: 'Open the options and save the Infisical address again, then allow access when the browser asks.' },
  'flow-running': flowRunning,
  // The message is the schema's own sentence for the field (utils/inputs.ts, utils/parse-input.ts).
  'invalid-input': (e) => (e.field && e.message ? { title: asSentence(e.message), fix: 'Correct that field and try again.' } : { title: 'Some fields need attention.', fix: 'Correct the highlighted fields and try again.' }),
  'name-taken': nameTaken,
  'method-mismatch': methodMismatch,
  // utils/flow/save-connection.ts: an older Infisical build dropped the chosen project (docs/contracts.md A.12).
  'project-scope-unsupported': (e) => ({
    title: `Your Infisical instance does not support connections that belong to one project: it made ${named(e).replace(/^A connection named /, '')} for the whole organization instead${/could not be deleted/.test(e.detail ?? '') ? ', and it could not be deleted again' : ', so the extension deleted it again'}.`,
    fix: /could not be deleted/.test(e.detail ?? '') ? 'Delete that connection in Infisical › Organization settings › App Connections, then connect again with “Belongs to: The whole organization”.' : 'Connect again with “Belongs to: The whole organization”, or ask your Infisical administrator to upgrade the instance.',
  }),
  // utils/flow/save-connection.ts: a project connection's create checks the project's role (docs/contracts.md A.12).
  'project-connection-denied': {
    title: 'The machine identity may not create app connections in that Infisical project.',
    fix: 'In Infisical › the project › Access Control › Roles, give the identity’s project role the “app-connections: create” permission (and read), or make it a project Admin; or choose “Belongs to: The whole organization”.',
  },
  'connection-missing': (e) => ({ title: `${named(e)} no longer exists in Infisical, so it cannot be updated.`, fix: 'Choose to create a new connection instead, or pick another existing connection.' }),
  'oauth-unavailable': { title: 'Your Infisical instance has no Azure DevOps OAuth app set up.', fix: 'Use “Sign in with Microsoft” or another method, or ask the Infisical administrator to set INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_ID and INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_SECRET on the server.' },
  'oauth-instance-changed': { title: 'The Infisical address was changed while Microsoft’s consent page was open, so its answer was not sent to the new instance.', fix: 'Click Connect again to connect to the instance set now.' },
  'oauth-state-mismatch': { title: 'The answer from Microsoft did not match the sign-in the extension started, so it was rejected as possibly tampered with.', fix: 'Close any other sign-in windows and click Connect again.' },
  'oauth-no-code': {
    title: 'Microsoft returned to Infisical without a sign-in code.',
    fix: 'Click Connect again and complete the sign-in; if it keeps happening, ask the Infisical administrator to check that the instance’s Entra app has the redirect URI “your Infisical address/organization/app-connections/azure/oauth/callback” under “Web”.',
  },
  'msa-org': { title: 'This Azure DevOps organization uses personal Microsoft accounts instead of Microsoft Entra, so Microsoft sign-in cannot create a token for it.', fix: `Use “Paste a personal access token”: create one in ${PAT_PAGE} with ${SCOPE_LABELS}.` },
  'microsoft-client-missing': {
    title: 'No Microsoft app (client) ID is set, and your Infisical instance has no OAuth app ID to use instead.',
    fix: `Register a single-page application in Entra admin center › App registrations with the redirect URI shown ${OPTIONS} and the permission Azure DevOps › user_impersonation, then enter its Application (client) ID ${OPTIONS}, or choose another method.`,
  },
  'pat-scopes': { title: 'The pasted personal access token lacks scopes Infisical needs.', fix: `In ${PAT_PAGE}, edit the token to select ${SCOPE_LABELS}, then paste it again; their scope names are ${SCOPES}.` },
  // utils/worker/renewals.ts, utils/worker/removal.ts.
  'renew-not-possible': (e) => ({ title: `${named(e)} does not hold a personal access token, so there is nothing to renew.`, fix: 'Only access-token connections are renewed here; Infisical keeps OAuth and client-secret credentials itself.' }),
  'connection-changed': (e) => ({ title: `${named(e)} changed in Infisical since the list was read (its method or organization), so it was not renewed.`, fix: 'Reload the connections list and check the connection in Infisical.' }),
  'renewal-unsettled': (e) => ({
    title: `An earlier change of ${named(e).replace(/^A connection named /, '')} was interrupted and could not be checked yet, so it was not renewed now.`,
    fix: 'Try again in a minute; if it keeps happening, check that Infisical can be reached.',
  }),
  // utils/flow/save-connection.ts: a PATCH whose answer was lost and whose result could not be read.
  'save-unknown': (e) => ({
    title: `Infisical did not answer whether ${named(e).replace(/^A connection named /, '')} took the new token, so neither token was revoked.`,
    fix: 'Reload the connections list in a minute: the extension finds out which token Infisical holds at its next sign-in for this tenant, keeps that one and revokes the other.',
  }),
  'connection-still-there': (e) => ({ title: `${named(e)} still exists in Infisical, so its token was left alone.`, fix: 'Reload the connections list: remove the connection itself if you want its token revoked.' }),
  // utils/policy/enforce.ts: what the organization's policy (utils/policy/managed-keys.ts) forbids.
  'policy-method': (e) => {
    const label = (m: string | undefined) => (m && Object.hasOwn(METHOD_LABELS, m) ? `“${methodLabel(m as Method)}”` : 'this method');
    const asked = /method ([a-z-]+) is/.exec(e.message)?.[1];
    const allowed = (/allowed: ([a-z, -]+)/.exec(e.message)?.[1] ?? '').split(', ').filter(Boolean).map(label);
    return {
      title: `Your organization’s policy does not allow ${label(asked)} connections.`,
      fix: allowed.length ? `Use ${allowed.join(' or ')} in the toolbar popup; your administrators set the policy (chrome://policy or about:policies shows it).` : 'Ask your administrators which methods the policy allows (chrome://policy or about:policies shows it).',
    };
  },
  'policy-lifetime': (e) => {
    const max = /policy's (\d+) days/.exec(e.message)?.[1];
    return { title: `Your organization’s policy allows tokens of at most ${max ?? 'a shorter number of'} days.`, fix: 'Choose a shorter lifetime; the popup offers only the lifetimes the policy allows.' };
  },
  'forbidden-sender': { title: 'The extension ignored a request that did not come from one of its own pages.', fix: 'Start the connection from the extension’s popup or options page; if you did, reload the extension from the browser’s extensions page.' },
};
