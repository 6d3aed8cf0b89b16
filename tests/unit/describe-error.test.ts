import { describe, expect, it } from 'vitest';
import { AzureDevOpsError, BoundaryError, ExtensionError, InfisicalError, MicrosoftError, type ErrorSource } from '@/utils/errors/boundary-error';
import { findInfisicalRule, infisicalFallback, INFISICAL_RULES } from '@/utils/errors/catalogue/infisical';
import { CATALOGUES, describeError, fallback, TRANSPORT_CODES } from '@/utils/errors/describe-error';
import { infisicalErrorFrom } from '@/utils/infisical/errors';

/** A title or fix a user can act on: a full sentence of words, never the bare code. */
function expectSentence(text: string, code: string) {
  expect(text.trim()).not.toBe('');
  expect(text).toMatch(/\.$/);
  expect(text.split(/\s+/).length).toBeGreaterThan(3);
  expect(text).not.toMatch(/\b(undefined|null|NaN)\b|\[object /);
  // Codes such as AADSTS50011, invalidScope, interaction_in_progress or pat-scopes never leak.
  if (/[A-Z0-9_-]/.test(code.slice(1))) expect(text).not.toContain(code);
}

const make = (source: ErrorSource, code: string, message: string, options: { status?: number; detail?: string } = {}) => new BoundaryError(source, code, message, options);

describe('describeError', () => {
  it.each([
    [new MicrosoftError('AADSTS700016', 'x'), /does not know the app/, /client\) ID/],
    [new MicrosoftError('AADSTS50011', 'x'), /redirect URI is not registered/, /Single-page application/],
    [new MicrosoftError('AADSTS9002326', 'x'), /wrong platform/, /Single-page application/],
    [new MicrosoftError('AADSTS65001', 'x'), /consented/, /user_impersonation/],
    [new MicrosoftError('AADSTS50020', 'x'), /not a member of this tenant/, /guest/],
    [new MicrosoftError('AADSTS90072', 'x'), /not a guest/, /external user/],
    [new MicrosoftError('user-cancelled', 'x'), /closed/, /Connect again/],
    [new AzureDevOpsError('disablePatCreationPolicyViolation', 'x', { status: 200 }), /does not allow you to create/, /allow list/],
    [new AzureDevOpsError('unauthorized', 'x', { status: 401 }), /did not accept/, /member/],
    [new InfisicalError('UnauthorizedError', 'Invalid credentials', { status: 401 }), /client ID or secret/, /options/],
    [new InfisicalError('PermissionDenied', 'You are not allowed to create on App Connections', { status: 403 }), /may not create app connections/, /app-connections: create/],
    [new InfisicalError('ValidationFailure', 'name: bad', { status: 422 }), /rejected the connection details/, /connection name/],
    [new InfisicalError('BadRequestError', 'An App Connection with the name "x" already exists', { status: 400 }), /already exists/, /another/],
    [new InfisicalError('RateLimitError', 'slow down', { status: 429 }), /rate-limiting/, /Wait/],
    [new InfisicalError('InternalServerError', 'Something went wrong', { status: 500 }), /internal error/, /Try again/],
    [new InfisicalError('network', 'Could not reach x.'), /Could not reach/, /network/],
    [new ExtensionError('not-configured', 'x'), /not set up/, /options/],
    [
      new InfisicalError('redirected', 'x', { status: 307 }),
      /redirect to another address; the extension did not send your credentials there/,
      /final address in the extension’s options/,
    ],
    [new AzureDevOpsError('redirected', 'x', { status: 0 }), /redirect to another address; the extension did not send your credentials there/, /proxy/],
  ])('%s', (error, title, fix) => {
    const message = describeError(error);
    expect(message.title).toMatch(title);
    expect(message.fix).toMatch(fix);
  });

  it('survives serialisation across contexts (plain objects with source and code)', () => {
    const serialised = JSON.parse(JSON.stringify({ ...new MicrosoftError('AADSTS50011', 'x'), message: 'x' }));
    expect(describeError(serialised).title).toMatch(/redirect URI/);
  });

  it('never shows a token in details', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk';
    const pat = 'abcdefghijklmnopqrstuvwxyz234567'.repeat(2).slice(0, 52);
    const message = describeError(new InfisicalError('BadRequestError', 'bad', { status: 400, detail: `token ${jwt} and ${pat} Bearer abcdefghijkl` }));
    expect(message.details).not.toContain(jwt);
    expect(message.details).not.toContain(pat);
    expect(message.details).not.toContain('abcdefghijkl');
  });

  it('gives a sentence for unknown errors', () => {
    expect(describeError(new TypeError('boom')).title).toMatch(/inside the extension/);
  });

  it('ignores inherited property names as codes', () => {
    for (const code of ['constructor', 'toString', '__proto__']) {
      const error = new ExtensionError(code, 'Raw words');
      expect(describeError(error).title).toBe(fallback(error).title);
    }
  });
});

describe('the catalogue covers every code the contracts list', () => {
  // docs/contracts.md C.2, plus the codes the flow already met (65004, 90002, 9002325, 90023).
  const aadsts = [9002326, 9002327, 50148, 501481, 50147, 50149, 65001, 700016, 50011, 90072, 50020, 700084, 54005, 700005, 70011, 700022, 65004, 90002, 9002325, 90023];
  // docs/contracts.md B.1: the 7.1 enum, then what 7.2 adds (`none` is success).
  const patTokenErrors71 = [
    'displayNameRequired',
    'invalidDisplayName',
    'invalidValidTo',
    'invalidScope',
    'userIdRequired',
    'invalidUserId',
    'invalidUserType',
    'accessDenied',
    'failedToIssueAccessToken',
    'invalidClient',
    'invalidClientType',
    'invalidClientId',
    'invalidTargetAccounts',
    'hostAuthorizationNotFound',
    'authorizationNotFound',
    'failedToUpdateAccessToken',
    'sourceNotSupported',
    'invalidSourceIP',
    'invalidSource',
    'duplicateHash',
    'sshPolicyDisabled',
    'invalidToken',
    'tokenNotFound',
    'invalidAuthorizationId',
    'failedToReadTenantPolicy',
    'globalPatPolicyViolation',
    'fullScopePatPolicyViolation',
    'patLifespanPolicyViolation',
  ];
  const patTokenErrors72 = ['invalidTokenType', 'invalidAudience', 'invalidSubject', 'deploymentHostNotSupported', 'disablePatCreationPolicyViolation', 'failedToReadOrgPolicy'];
  const required: Record<keyof typeof CATALOGUES, string[]> = {
    microsoft: [
      ...aadsts.map((n) => `AADSTS${n}`),
      'user-cancelled',
      'authorize-page-failed',
      'timeout',
      'no-response',
      'unexpected-authority',
      'interaction_in_progress',
      'state_mismatch',
      'nonce_mismatch',
      'no_network_connectivity',
      'post_request_failed',
      'invalid_grant',
    ],
    'azure-devops': [...patTokenErrors71, ...patTokenErrors72, 'unauthorized', 'forbidden', 'pat-unauthorized', 'pat-forbidden', 'org-not-found', 'tenant-unknown', 'redirected'],
    extension: [
      'method-mismatch',
      'connection-missing',
      'oauth-unavailable',
      'oauth-state-mismatch',
      'oauth-no-code',
      'msa-org',
      'microsoft-client-missing',
      'pat-scopes',
      'forbidden-sender',
      'name-taken',
      'not-configured',
      'identity-missing',
    ],
  };

  it('has all 34 patTokenError values', () => {
    expect(new Set([...patTokenErrors71, ...patTokenErrors72]).size).toBe(34);
  });

  it.each(Object.entries(required))('%s', (source, codes) => {
    const catalogue = CATALOGUES[source as keyof typeof CATALOGUES];
    expect(codes.filter((code) => !Object.hasOwn(catalogue, code))).toEqual([]);
  });
});

describe('every catalogue entry is a sentence with a fix', () => {
  const rows = Object.entries(CATALOGUES).flatMap(([source, catalogue]) => Object.keys(catalogue).map((code) => [source as ErrorSource, code] as const));

  it.each(rows)('%s %s', (source, code) => {
    const error = make(source, code, 'Raw server words', { status: 400 });
    const { title, fix } = describeError(error);
    expectSentence(title, code);
    expectSentence(fix, code);
    expect(title).not.toBe(fallback(error).title);
    expect(title).not.toBe('Raw server words.');
  });
});

describe('Infisical answers', () => {
  // One real-shaped answer per rule (docs/contracts.md A.1, A.2, A.3, A.6). A rule without one fails below.
  const examples: Record<string, InfisicalError> = {
    // What utils/http/request.ts throws: status 0 in browsers (an opaque redirect), the 3xx in Node.
    redirected: new InfisicalError('redirected', 'infisical.example.com answered with a redirect.', { status: 0 }),
    'duplicate-name': new InfisicalError('BadRequestError', 'An App Connection with the name "ado-prod" already exists', { status: 400 }),
    'pat-rejected': new InfisicalError('BadRequestError', "Failed to validate access token for organization 'contoso': TF400813", { status: 400 }),
    'oauth-code-rejected': new InfisicalError('BadRequestError', 'Failed to get access token: AADSTS54005: OAuth2 Authorization code was already redeemed', { status: 400 }),
    'pat-unusable': new InfisicalError('BadRequest', 'Unable to validate Azure DevOps token', { status: 400 }),
    'client-credentials-rejected': new InfisicalError('BadRequestError', 'Failed to authenticate with Azure DevOps using client credentials: AADSTS7000215', { status: 400 }),
    'client-credentials-unverified': new InfisicalError('InternalServerError', 'Failed to validate Azure DevOps client credentials', { status: 500 }),
    'method-mismatch': new InfisicalError('BadRequestError', 'Invalid credential format for Azure DevOps Connection with method client-secret', { status: 400 }),
    'project-not-found': new InfisicalError('BadRequestError', 'Could not find project with ID 1234', { status: 400 }),
    'identity-other-org': new InfisicalError('BadRequestError', 'Identity does not belong to this organization', { status: 400 }),
    'renew-unsupported': new InfisicalError('BadRequestError', 'Only identity access tokens can be renewed', { status: 400 }),
    'plan-restriction': new InfisicalError('BadRequestError', 'Failed to create app connection due to plan restriction. Upgrade plan.', { status: 400 }),
    'delete-in-use': new InfisicalError('BadRequestError', 'Cannot delete App Connection with existing connections. Remove all existing connections and try again.', { status: 400 }),
    'invalid-credentials': new InfisicalError('UnauthorizedError', 'Invalid credentials', { status: 401 }),
    'identity-locked': new InfisicalError('UnauthorizedError', 'This identity auth method is temporarily locked, please try again later', { status: 401 }),
    'secret-expired': new InfisicalError('UnauthorizedError', 'Access denied due to expired client secret', { status: 401 }),
    'secret-usage-limit': new InfisicalError('UnauthorizedError', 'Access denied due to client secret usage limit reached', { status: 401 }),
    'token-missing': new InfisicalError('UnauthorizedError', 'Token missing', { status: 401 }),
    'token-not-found': new InfisicalError('UnauthorizedError', 'No identity access token found', { status: 401 }),
    'token-max-ttl': new InfisicalError('UnauthorizedError', 'Failed to renew MI access token past its Max TTL expiration', { status: 401 }),
    'token-ttl': new InfisicalError('UnauthorizedError', 'Failed to renew MI access token due to TTL expiration', { status: 401 }),
    'token-uses': new InfisicalError('UnauthorizedError', 'Unable to renew because access token number of uses limit reached', { status: 401 }),
    unauthorized: new InfisicalError('UnauthorizedError', 'Something else', { status: 401 }),
    'permission-denied': new InfisicalError('PermissionDenied', 'You are not allowed to edit on app-connections', { status: 403 }),
    'token-expired': new InfisicalError('TokenError', 'Your token has expired. Please re-authenticate.', { status: 403 }),
    'token-malformed': new InfisicalError('TokenError', 'The provided access token is malformed', { status: 403 }),
    'auth-mode-forbidden': new InfisicalError('Forbidden access to /api/v1/app-connections/azure-devops/x/projects', 'You are not allowed to access this resource', { status: 403 }),
    forbidden: new InfisicalError('ForbiddenRequestError', 'Access denied', { status: 403 }),
    'route-not-found': new InfisicalError('Not Found', 'Route POST:/api/v1/app-connections/azure-devops not found', { status: 404 }),
    'connection-not-found': new InfisicalError('NotFoundError', 'App Connection with ID 42 not found', { status: 404 }),
    'not-found': new InfisicalError('NotFoundError', 'Nothing here', { status: 404 }),
    gone: new InfisicalError('GoneError', 'Gone', { status: 410 }),
    'validation-failure': new InfisicalError('ValidationFailure', 'description: Description cannot exceed 256 characters', { status: 422 }),
    'rate-limited': new InfisicalError('RateLimitError', 'Rate limit exceeded', { status: 429, detail: 'Rate limit exceeded — Retry-After: 30' }),
    'oauth-not-configured': new InfisicalError('InternalServerError', 'Azure OAuth environment variables have not been configured', { status: 500 }),
    'internal-error': new InfisicalError('DatabaseError', 'Something went wrong', { status: 500 }),
    'bad-gateway': new InfisicalError('http-502', 'HTTP 502', { status: 502 }),
    unavailable: new InfisicalError('http-503', 'HTTP 503', { status: 503 }),
    'gateway-timeout': new InfisicalError('GatewayTimeoutError', 'Timed out', { status: 504 }),
    'server-error': new InfisicalError('http-507', 'HTTP 507', { status: 507 }),
    'bad-request': new InfisicalError('BadRequestError', 'Not supported for Azure DevOps Connections', { status: 400 }),
    other: new InfisicalError('TeapotError', 'I am a teapot', { status: 418 }),
  };

  it('has an example for every rule', () => {
    expect(Object.keys(examples).sort()).toEqual(INFISICAL_RULES.map((r) => r.id).sort());
  });

  it.each(INFISICAL_RULES.map((r) => r.id))('%s', (id) => {
    const error = examples[id]!;
    expect(findInfisicalRule(error).id).toBe(id);
    const { title, fix } = describeError(error);
    expectSentence(title, error.code);
    expectSentence(fix, error.code);
    if (id !== 'other') expect(title).not.toBe(infisicalFallback(error).title);
  });

  it.each([
    ['Retry-After header', { detail: 'slow — Retry-After: 30' }, 'slow', /next 30 seconds/, /^Wait 30 seconds/],
    ['one second', { detail: 'Retry-After: 1' }, 'slow', /next 1 second\./, /^Wait 1 second,/],
    ['long waits in minutes', { detail: 'Retry-After: 600' }, 'slow', /about 10 minutes/, /about 10 minutes/],
    ['the limiter’s sentence', {}, 'Rate limit exceeded. Please try again in 12 seconds', /12 seconds/, /Wait 12 seconds/],
    ['no wait given', {}, 'Failed to acquire lock: rate limit exceeded', /^Infisical is rate-limiting requests\.$/, /Wait a minute/],
  ])('429 with %s', (_, options, message, title, fix) => {
    const result = describeError(new InfisicalError('RateLimitError', message, { status: 429, ...options }));
    expect(result.title).toMatch(title);
    expect(result.fix).toMatch(fix);
  });

  it.each(['create', 'read', 'edit', 'delete'])('403 PermissionDenied names the app-connections: %s permission and the role fix', (action) => {
    const { title, fix } = describeError(new InfisicalError('PermissionDenied', `You are not allowed to ${action} on App Connections`, { status: 403 }));
    expect(title).toBe(`The machine identity may not ${action} app connections in Infisical.`);
    expect(fix).toContain(`“app-connections: ${action}”`);
    expect(fix).toMatch(/Organization settings › Access control › Roles.*Admin role/);
  });

  it('403 PermissionDenied reads the action from the CASL details when the message lacks it', () => {
    const detail = 'denied — [{"action":"delete","inverted":false,"subject":"app-connections"}]';
    const { title, fix } = describeError(new InfisicalError('PermissionDenied', 'Forbidden', { status: 403, detail }));
    expect(title).toMatch(/may not delete app connections/);
    expect(fix).toContain('app-connections: delete');
  });

  it('names the connection, the organization and the method from the server’s words', () => {
    expect(describeError(new InfisicalError('BadRequestError', 'An App Connection with the name "ado-prod" already exists', { status: 400 })).title).toBe(
      'A connection named “ado-prod” already exists in Infisical.',
    );
    expect(describeError(new InfisicalError('BadRequestError', "Failed to validate access token for organization 'contoso': x", { status: 400 })).title).toMatch(/“contoso”/);
    const mismatch = describeError(new InfisicalError('BadRequestError', 'Invalid credential format for Azure DevOps Connection with method client-secret', { status: 400 }));
    expect(mismatch.title).toMatch(/method of an existing connection cannot change/);
    expect(mismatch.fix).toMatch(/“Service principal”/);
  });

  // What current servers send (docs/contracts.md A.3, A.6, A.8): error names without "Error", a
  // 403 with empty details, the 203 sign-in page as Infisical words it.
  it('a PAT that Azure DevOps answered with its sign-in page: its own sentence, not the generic one', () => {
    const error = new InfisicalError('BadRequest', 'Unable to validate Azure DevOps token', { status: 400 });
    const { title, fix } = describeError(error);
    expect(title).toBe('Azure DevOps did not accept the personal access token when Infisical checked it: it answered with its sign-in page.');
    expect(fix).toMatch(/Azure DevOps › User settings › Personal access tokens.*not expired or revoked.*this organization/);
    expect(title).not.toMatch(/^Infisical refused the request/);
  });

  it.each([302, 401])('a PAT refused with %i names the organization and the token fix', (status) => {
    const { title, fix } = describeError(
      new InfisicalError('BadRequest', `Failed to validate access token for organization 'contoso': Request failed with status code ${status}`, { status: 400 }),
    );
    expect(title).toBe('Infisical could not use the personal access token with the organization “contoso”.');
    expect(fix).toMatch(/has not expired/);
  });

  it.each([
    ['AADSTS7000215: Invalid client secret provided.', /client secret.*wrong or has expired/, /Certificates & secrets.*its value/],
    ['AADSTS7000222: The provided client secret keys for app are expired.', /wrong or has expired/, /new client secret/],
    ['AADSTS700016: Application with identifier was not found in the directory.', /does not know this client ID in this tenant/, /tenant ID and the application \(client\) ID/],
    ['AADSTS90002: Tenant not found.', /does not know this client ID in this tenant/, /tenant ID/],
    ['Request failed with status code 401', /Azure DevOps refused the service principal/, /Organization settings › Users.*Basic access/],
    ['socket hang up', /could not sign in to Azure DevOps as the service principal/, /tenant ID, client ID and client secret/],
  ])('the service principal’s check failed with “%s”: the sentence names that fix', (why, title, fix) => {
    const message = describeError(new InfisicalError('BadRequest', `Failed to authenticate with Azure DevOps using client credentials: ${why}`, { status: 400 }));
    expect(message.title).toMatch(title);
    expect(message.fix).toMatch(fix);
  });

  it('the service principal’s projects check answered with another 2xx (500): names adding it to the organization', () => {
    const { title, fix } = describeError(new InfisicalError('InternalServerError', 'Failed to validate Azure DevOps client credentials', { status: 500 }));
    expect(title).toMatch(/did not confirm that the service principal may use the organization/);
    expect(fix).toMatch(/Organization settings › Users/);
  });

  it('NotFound, BadRequest and PermissionDenied as current servers name them', () => {
    expect(describeError(new InfisicalError('NotFound', 'Could not find App Connection with ID 3b0e1c9a-5f4d-4e2b-8a7c-6d5e4f3a2b1c', { status: 404 })).title).toBe(
      'Infisical no longer has this app connection.',
    );
    expect(describeError(new InfisicalError('NotFound', 'Could not find App Connection with name ado in organization scope.', { status: 404 })).title).toBe(
      'Infisical no longer has this app connection.',
    );
    expect(describeError(new InfisicalError('BadRequest', 'An App Connection with the name "ado" already exists', { status: 400 })).title).toBe(
      'A connection named “ado” already exists in Infisical.',
    );
    expect(describeError(new InfisicalError('PermissionDenied', 'You are not allowed to create on app-connections', { status: 403 })).title).toBe(
      'The machine identity may not create app connections in Infisical.',
    );
  });

  it('a 403 with empty details shows the server’s words without “— []”; real details stay', async () => {
    const answer = (details: unknown) =>
      new Response(JSON.stringify({ reqId: 'req-abcdefghijklmn', statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to create on app-connections', details }), {
        status: 403,
      });
    const empty = describeError(await infisicalErrorFrom(answer([])));
    expect(empty.title).toBe('The machine identity may not create app connections in Infisical.');
    expect(empty.details).toBe('HTTP 403 · PermissionDenied · You are not allowed to create on app-connections');
    expect(describeError(await infisicalErrorFrom(answer({}))).details).not.toMatch(/—/);
    const rules = describeError(await infisicalErrorFrom(answer([{ action: 'create', inverted: true, subject: 'app-connections' }])));
    expect(rules.details).toMatch(/ — \[\{"action":"create","inverted":true/);
  });

  it('tells token expiry from a malformed token', () => {
    expect(describeError(new InfisicalError('TokenError', 'Your token has expired. Please re-authenticate.', { status: 403 })).title).toMatch(/expired/);
    expect(describeError(new InfisicalError('TokenError', 'The provided access token is malformed', { status: 403 })).title).toMatch(/could not read/);
  });

  it('422 fixes point at the field Infisical names', () => {
    const fixFor = (message: string) => describeError(new InfisicalError('ValidationFailure', message, { status: 422 })).fix;
    expect(fixFor('name: name field can only contain lowercase letters, numbers, and hyphens')).toMatch(/lowercase letters, digits and hyphens/);
    expect(fixFor('description: Description cannot exceed 256 characters')).toMatch(/256/);
    expect(fixFor('credentials.clientSecret: Too big')).toMatch(/50 characters/);
    expect(describeError(new InfisicalError('ValidationFailure', 'name: bad; description: too long', { status: 422 })).title).toBe(
      'Infisical rejected the connection details (name: bad; description: too long).',
    );
  });
});

describe('transport failures', () => {
  const sources: ErrorSource[] = ['microsoft', 'azure-devops', 'infisical', 'extension'];
  const rows = sources.flatMap((source) => TRANSPORT_CODES.map((code) => [source, code] as const)).filter(([s, c]) => !(s === 'microsoft' && c === 'timeout'));

  it.each(rows)('%s %s', (source, code) => {
    const { title, fix } = describeError(make(source, code, code === 'network' ? 'Could not reach example.com.' : 'example.com did not answer within 20 s.'));
    expectSentence(title, code);
    expectSentence(fix, code);
  });

  it('keeps the host the request failed on', () => {
    expect(describeError(new AzureDevOpsError('timeout', 'dev.azure.com did not answer within 20 s.')).title).toBe('dev.azure.com did not answer within 20 s.');
    expect(describeError(new InfisicalError('network', 'Could not reach infisical.example.com.')).fix).toMatch(/Infisical address in the extension’s options/);
  });

  it('Microsoft’s timeout is the sign-in window, not a request', () => {
    expect(describeError(new MicrosoftError('timeout', 'The Microsoft sign-in did not finish in 5 minutes.')).fix).toMatch(/within 5 minutes/);
  });
});

describe('targeted codes', () => {
  it('a pasted PAT names the four scopes and where to edit them', () => {
    for (const error of [new ExtensionError('pat-scopes', 'x'), new AzureDevOpsError('pat-forbidden', 'x', { status: 403 })]) {
      expect(describeError(error).fix).toContain('vso.variablegroups_manage vso.release_execute vso.project vso.serviceendpoint_query');
      expect(describeError(error).fix).toContain('Azure DevOps › User settings › Personal access tokens');
    }
    expect(describeError(new AzureDevOpsError('pat-unauthorized', 'x', { status: 401 })).title).toMatch(/expired.*another organization/);
  });

  it('method-mismatch names the connection and the method it was made with', () => {
    const { title, fix } = describeError(new ExtensionError('method-mismatch', "'ado-prod' uses the oauth method, not access-token."));
    expect(title).toBe('A connection named “ado-prod” exists in Infisical but uses a different method, and the method of an existing connection cannot change.');
    expect(fix).toMatch(/choose “Infisical’s OAuth app”.*pick another connection name/);
  });

  it('input refused by a schema: the field’s own sentence, and which field, for the page to show it there', () => {
    const message = describeError(new ExtensionError('invalid-input', 'Enter the client ID.', { field: 'clientId', detail: 'clientId: too_small' }));
    expect(message).toMatchObject({ title: 'Enter the client ID.', fix: 'Correct that field and try again.', field: 'clientId' });
    expect(describeError(new ExtensionError('invalid-input', 'x')).field).toBeUndefined();
  });

  it('Azure DevOps statuses without a code of their own', () => {
    expect(describeError(new AzureDevOpsError('http-503', 'x', { status: 503 })).title).toMatch(/internal problem/);
    expect(describeError(new AzureDevOpsError('http-429', 'x', { status: 429 })).title).toMatch(/rate-limiting/);
  });
});
