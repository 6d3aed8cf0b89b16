import type { BoundaryError } from '../boundary-error';
import { methodMismatch, nameTaken } from './extension';
import { APP_REGISTRATION, IDENTITIES, OPTIONS, PAT_PAGE, ROLES, asSentence, quotedName, type Describe, type Entry } from './entry';

/**
 * Infisical answers, matched on status and the server's own words (docs/contracts.md A.1, A.2, A.3,
 * A.6). Rules are tried in order; the last one matches anything.
 */
export type InfisicalRule = {
  id: string;
  /** One status, or an inclusive range; absent means any status. */
  status?: number | readonly [number, number];
  /** Tested against the error name (`e.code`) followed by the message. */
  match?: RegExp;
  entry: Entry | Describe;
};

const NEW_SECRET = `Create a new client secret in ${IDENTITIES} › your identity › Universal Auth, and enter it ${OPTIONS}.`;
const LOG_IN_AGAIN = `Try again: the extension logs in again with the client secret; if you pasted an access token, create a new one in ${IDENTITIES} › your identity › Token Auth and enter it ${OPTIONS}.`;
const OAUTH_SERVER = 'Use another method, or ask the Infisical administrator to set SITE_URL, INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_ID and INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_SECRET on the server.';

/** Seconds to wait, from the Retry-After header (kept in `detail`) or the limiter's own sentence. */
export function retryAfterSeconds(e: BoundaryError): number | null {
  const found = /Retry-After:\s*(\d+)/i.exec(e.detail ?? '') ?? /try again in (\d+) seconds?/i.exec(e.message);
  return found ? Number(found[1]) : null;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  return `about ${Math.ceil(seconds / 60)} minutes`;
}

const rateLimited: Describe = (e) => {
  const seconds = retryAfterSeconds(e);
  return seconds === null ? { title: 'Infisical is rate-limiting requests.', fix: 'Wait a minute, then try again.' } : { title: `Infisical is rate-limiting requests for the next ${duration(seconds)}.`, fix: `Wait ${duration(seconds)}, then try again.` };
};

/** 403 PermissionDenied: "You are not allowed to <action> on <subject>", with CASL `details` (A.6, A.7). */
const permissionDenied: Describe = (e) => {
  const action = /not allowed to ([\w-]+)/i.exec(e.message)?.[1] ?? /"action":"([\w-]+)"/.exec(e.detail ?? '')?.[1];
  const subject = /not allowed to [\w-]+ on (.+?)\.?$/i.exec(e.message)?.[1] ?? /"subject":"([\w-]+)"/.exec(e.detail ?? '')?.[1] ?? 'app-connections';
  const slug = subject
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (!action) {
    return { title: 'The machine identity lacks an Infisical permission this needs.', fix: `In ${ROLES}, give the machine identity’s role the “app-connections” permissions create, read and edit, or give the identity the Admin role.` };
  }
  const what = slug === 'app-connections' ? 'app connections' : subject.trim();
  const verb = action === 'rotate-credentials' ? 'rotate the credentials of' : action;
  return {
    title: `The machine identity may not ${verb} ${what} in Infisical.`,
    fix: `In ${ROLES}, give the machine identity’s role the “${slug}: ${action}” permission, or give the identity the Admin role; the built-in Member role lacks it.`,
  };
};

const validationFailure: Describe = (e) => {
  const field = /^([\w.]+):/.exec(e.message)?.[1] ?? '';
  const fix = /(^|\.)name$/.test(field)
    ? 'Use a connection name of lowercase letters, digits and hyphens, at most 32 characters.'
    : /description/.test(field)
      ? 'Shorten the description to at most 256 characters.'
      : /credentials/.test(field)
        ? 'Check the credential fields (a client secret has at most 50 characters; IDs are GUIDs), then try again.'
        : 'Correct what Infisical names, such as the connection name, then try again.';
  return { title: asSentence(`Infisical rejected the connection details (${e.message})`), fix };
};

const ADD_SERVICE_PRINCIPAL = 'add the service principal in Azure DevOps › Organization settings › Users (search for the app’s name) with at least Basic access';

/**
 * 400 `Failed to authenticate with Azure DevOps using client credentials: <why>` (docs/contracts.md
 * A.3 `client-secret`): `<why>` is Entra's error_description for the grant, or axios' "Request
 * failed with status code N" when Azure DevOps refused the service principal's token.
 */
const clientCredentialsRejected: Describe = (e) => {
  const why = e.message.replace(/^.*using client credentials:\s*/i, '');
  if (/AADSTS7000215|AADSTS7000222/.test(why)) {
    return { title: 'Microsoft refused the service principal’s client secret when Infisical signed in with it: it is wrong or has expired.', fix: `Create a new client secret in ${APP_REGISTRATION} › Certificates & secrets, and connect again with its value (not its secret ID).` };
  }
  if (/AADSTS700016|AADSTS90002|AADSTS900023/.test(why)) {
    return { title: 'Microsoft does not know this client ID in this tenant, so Infisical could not sign in as the service principal.', fix: `Check the tenant ID and the application (client) ID on ${APP_REGISTRATION} › Overview, then connect again.` };
  }
  if (/status code (401|403)\b|TF400813|VS30063/.test(why)) {
    return { title: 'Azure DevOps refused the service principal when Infisical checked its access to the organization.', fix: `Check the organization name, and ${ADD_SERVICE_PRINCIPAL}.` };
  }
  return { title: 'Infisical could not sign in to Azure DevOps as the service principal.', fix: `Check the tenant ID, client ID and client secret (${APP_REGISTRATION} › Certificates & secrets shows if it expired), and ${ADD_SERVICE_PRINCIPAL}.` };
};

/** Any other answer: the server's words, as a sentence. */
export function infisicalFallback(e: BoundaryError): Entry {
  return { title: asSentence(`Infisical answered: ${e.message || `HTTP ${e.status ?? 'error'}`}`), fix: `Check the Infisical settings ${OPTIONS}.` };
}

export const INFISICAL_RULES: readonly InfisicalRule[] = [
  // A 3xx, not followed (utils/http/request.ts): typically the address of an instance that moved.
  { id: 'redirected', match: /^redirected /, entry: { title: 'Your Infisical instance answered with a redirect to another address; the extension did not send your credentials there.', fix: `Enter the instance’s final address ${OPTIONS}: the one your browser shows once Infisical has loaded.` } },
  // 400: the create/update call (A.3).
  { id: 'duplicate-name', status: 400, match: /already exists/i, entry: nameTaken },
  {
    id: 'pat-rejected',
    status: 400,
    match: /Failed to validate access token for organization/i,
    entry: (e) => ({
      title: `Infisical could not use the personal access token with the organization${quotedName(e.message) ? ` “${quotedName(e.message)}”` : ''}.`,
      fix: 'Check the organization name, and that the token has not expired and has the Project and Team (read) scope (Azure DevOps › User settings › Personal access tokens).',
    }),
  },
  {
    id: 'oauth-code-rejected',
    status: 400,
    match: /Failed to get access token/i,
    entry: {
      title: 'Infisical could not exchange the Microsoft sign-in code for a token.',
      fix: 'Click Connect again and finish within 10 minutes; if it fails again, the Infisical administrator must check the Entra app’s client secret and its Web redirect URI ending in /organization/app-connections/azure/oauth/callback.',
    },
  },
  // Azure DevOps answered Infisical's PAT check with its sign-in page (203), which Infisical words so (A.3).
  {
    id: 'pat-unusable',
    status: 400,
    match: /Unable to validate Azure DevOps token/i,
    entry: { title: 'Azure DevOps did not accept the personal access token when Infisical checked it: it answered with its sign-in page.', fix: `Check in ${PAT_PAGE} that the token is active (not expired or revoked) and made for this organization, then connect again with it or with a new one.` },
  },
  { id: 'client-credentials-rejected', status: 400, match: /Failed to authenticate with Azure DevOps using client credentials/i, entry: clientCredentialsRejected },
  { id: 'method-mismatch', status: 400, match: /Invalid credential format for Azure DevOps Connection/i, entry: methodMismatch },
  { id: 'project-not-found', status: 400, match: /Could not find project with ID/i, entry: { title: 'Infisical has no project with the ID the extension sent.', fix: `Check the Infisical project ${OPTIONS}, and that the machine identity is a member of that project.` } },
  { id: 'identity-other-org', status: 400, match: /Identity does not belong to this organization/i, entry: { title: 'The machine identity belongs to a different Infisical organization.', fix: `Use an identity of the organization the connection belongs in (${IDENTITIES}), and enter it ${OPTIONS}.` } },
  { id: 'renew-unsupported', status: 400, match: /Only identity access tokens can be renewed/i, entry: { title: 'Infisical cannot renew this kind of access token.', fix: `Enter a machine identity’s access token or client secret ${OPTIONS}, not a user or service token.` } },
  { id: 'plan-restriction', match: /plan restriction/i, entry: { title: 'Your Infisical plan does not include this kind of app connection.', fix: 'Ask the Infisical organization owner to upgrade the plan, or use an instance whose plan includes app connections.' } },
  { id: 'delete-in-use', status: 400, match: /Cannot delete App Connection with existing connections/i, entry: { title: 'Infisical will not delete a connection that syncs or integrations still use.', fix: 'Remove the syncs and integrations that use it in Infisical, then try again.' } },
  // 401: login, renewal and token checks (A.1, A.2).
  {
    id: 'invalid-credentials',
    status: 401,
    match: /invalid credentials/i,
    entry: { title: 'Infisical rejected the machine identity’s client ID or secret.', fix: `Check the Universal Auth client ID and secret ${OPTIONS}; create a new client secret in ${IDENTITIES} if needed. The extension does not send this secret again until you change it.` },
  },
  { id: 'identity-locked', status: 401, match: /temporarily locked/i, entry: { title: 'Infisical has temporarily locked this machine identity after failed logins.', fix: `Wait five minutes, check the client secret ${OPTIONS}, and try again.` } },
  { id: 'secret-expired', status: 401, match: /expired client secret/i, entry: { title: 'The machine identity’s client secret has expired.', fix: NEW_SECRET } },
  { id: 'secret-usage-limit', status: 401, match: /client secret usage limit/i, entry: { title: 'The machine identity’s client secret has reached its usage limit.', fix: NEW_SECRET } },
  { id: 'token-missing', status: 401, match: /Token missing/i, entry: { title: 'Infisical received the request without an access token.', fix: `Enter the machine identity again ${OPTIONS}; if it persists, a proxy in front of Infisical may be removing the Authorization header.` } },
  {
    id: 'token-not-found',
    status: 401,
    match: /No identity access token found/i,
    entry: { title: 'Infisical no longer knows the machine identity’s access token: it was revoked, or the identity was removed.', fix: `Check that the identity still exists in ${IDENTITIES}, then try again; the extension logs in again with the client secret.` },
  },
  { id: 'token-max-ttl', status: 401, match: /Max TTL/i, entry: { title: 'The machine identity’s access token has reached its maximum lifetime.', fix: LOG_IN_AGAIN } },
  { id: 'token-ttl', status: 401, match: /TTL expiration/i, entry: { title: 'The machine identity’s access token has expired.', fix: LOG_IN_AGAIN } },
  { id: 'token-uses', status: 401, match: /number of uses limit/i, entry: { title: 'The machine identity’s access token has been used as many times as it may be.', fix: LOG_IN_AGAIN } },
  { id: 'unauthorized', status: 401, entry: { title: 'Infisical did not accept the machine identity’s access token.', fix: `Check the machine identity ${OPTIONS} and try again.` } },
  // 403 (A.2, A.6).
  { id: 'permission-denied', status: 403, match: /^PermissionDenied\b/, entry: permissionDenied },
  { id: 'token-expired', status: 403, match: /^TokenError\b.*expired/i, entry: { title: 'The Infisical access token has expired.', fix: 'Try again; the extension logs in again automatically.' } },
  { id: 'token-malformed', status: 403, match: /^TokenError\b/, entry: { title: 'Infisical could not read the access token the extension sent.', fix: `Check that the address ${OPTIONS} is the instance that issued the machine identity, then enter its client secret again.` } },
  { id: 'auth-mode-forbidden', status: 403, match: /Forbidden access to/i, entry: { title: 'Infisical does not accept a machine identity for this request.', fix: 'Update the extension, or ask the Infisical administrator to upgrade Infisical to a version that accepts machine identities here.' } },
  { id: 'forbidden', status: 403, entry: { title: 'Infisical refused the request.', fix: `Check the machine identity’s organization role in ${ROLES} and its trusted IP addresses in ${IDENTITIES}.` } },
  // Other statuses (A.6).
  { id: 'route-not-found', status: 404, match: /Route \S+ not found/i, entry: { title: 'Your Infisical instance does not offer Azure DevOps app connections.', fix: `Check the address ${OPTIONS}, or ask the administrator to upgrade Infisical.` } },
  { id: 'connection-not-found', status: 404, match: /connection/i, entry: { title: 'Infisical no longer has this app connection.', fix: 'Create a new connection instead of updating it.' } },
  { id: 'not-found', status: 404, entry: { title: 'Infisical does not have this endpoint or connection.', fix: 'Check that the address is an Infisical instance recent enough to support Azure DevOps app connections.' } },
  { id: 'gone', status: 410, entry: { title: 'Infisical no longer supports this request.', fix: 'Update the extension to a version that matches your Infisical instance.' } },
  { id: 'validation-failure', status: 422, entry: validationFailure },
  { id: 'rate-limited', status: 429, entry: rateLimited },
  // The service principal's projects check was answered with a 2xx other than 200, such as a sign-in page (A.3).
  {
    id: 'client-credentials-unverified',
    status: 500,
    match: /Failed to validate Azure DevOps client credentials/i,
    entry: { title: 'Azure DevOps did not confirm that the service principal may use the organization when Infisical checked it.', fix: `Check the organization name, and ${ADD_SERVICE_PRINCIPAL}; then connect again.` },
  },
  { id: 'oauth-not-configured', status: 500, match: /SITE_URL env var|Azure OAuth environment variables/i, entry: { title: 'The Infisical server is not set up for Azure DevOps OAuth.', fix: OAUTH_SERVER } },
  { id: 'internal-error', status: 500, entry: { title: 'Infisical had an internal error.', fix: 'Try again in a minute; if it persists, the Infisical administrator can find the cause in the server’s logs.' } },
  { id: 'bad-gateway', status: 502, entry: { title: 'The proxy in front of Infisical could not reach the Infisical server.', fix: 'Try again in a minute; if it persists, ask the Infisical administrator to check that the server is running.' } },
  { id: 'unavailable', status: 503, entry: { title: 'Infisical is temporarily unavailable.', fix: 'Try again in a few minutes; the server may be restarting or overloaded.' } },
  { id: 'gateway-timeout', status: 504, entry: { title: 'Infisical took too long to answer.', fix: 'Try again in a minute; check in Infisical whether the connection was saved before trying again.' } },
  { id: 'server-error', status: [500, 599], entry: { title: 'Infisical had a server problem.', fix: 'Try again in a few minutes.' } },
  { id: 'bad-request', status: 400, entry: (e) => ({ title: asSentence(`Infisical refused the request: ${e.message}`), fix: 'Correct what Infisical names and try again.' }) },
  { id: 'other', entry: infisicalFallback },
];

function statusMatches(rule: InfisicalRule, status: number | undefined): boolean {
  if (rule.status === undefined) return true;
  if (status === undefined) return false;
  return typeof rule.status === 'number' ? status === rule.status : status >= rule.status[0] && status <= rule.status[1];
}

/** The first rule for this error; the catch-all `other` guarantees one. */
export function findInfisicalRule(e: BoundaryError): InfisicalRule {
  const text = `${e.code} ${e.message}`;
  const rule = INFISICAL_RULES.find((r) => statusMatches(r, e.status) && (r.match === undefined || r.match.test(text)));
  return rule ?? INFISICAL_RULES[INFISICAL_RULES.length - 1]!;
}

export function describeInfisical(e: BoundaryError): Entry {
  const { entry } = findInfisicalRule(e);
  return typeof entry === 'function' ? entry(e) : entry;
}
