import { describe, expect, it } from 'vitest';
import { AzureDevOpsError, ExtensionError, InfisicalError, MicrosoftError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';

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
    [new InfisicalError('PermissionDenied', 'You are not allowed to create on App Connections', { status: 403 }), /may not create app connections/, /App Connections: create/],
    [new InfisicalError('ValidationFailure', 'name: bad', { status: 422 }), /rejected the connection details/, /connection name/],
    [new InfisicalError('BadRequestError', 'An App Connection with the name "x" already exists', { status: 400 }), /already exists/, /another/],
    [new InfisicalError('RateLimitError', 'slow down', { status: 429 }), /rate-limiting/, /Wait/],
    [new InfisicalError('InternalServerError', 'Something went wrong', { status: 500 }), /internal error/, /Try again/],
    [new InfisicalError('network', 'Could not reach x.'), /Could not reach/, /network/],
    [new ExtensionError('not-configured', 'x'), /not set up/, /options/],
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
});
