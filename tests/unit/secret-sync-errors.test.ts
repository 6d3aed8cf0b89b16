import { describe, expect, it } from 'vitest';
import { AzureDevOpsError, ExtensionError, InfisicalError } from '@/utils/errors/boundary-error';
import { SECRET_SYNC_AZURE_DEVOPS, SECRET_SYNC_EXTENSION, SECRET_SYNC_RULES, syncFailure } from '@/utils/errors/catalogue/secret-sync';
import { AZURE_DEVOPS, PAT_ERRORS } from '@/utils/errors/catalogue/azure-devops';
import { EXTENSION } from '@/utils/errors/catalogue/extension';
import { INFISICAL_RULES } from '@/utils/errors/catalogue/infisical';
import { describeError, fallback } from '@/utils/errors/describe-error';
import { infisicalErrorFrom } from '@/utils/infisical/errors';

/** Syncing into an Azure DevOps project: every answer the flow meets, as a sentence with its fix (docs/contracts.md A.9). */

/** Infisical's error body for a status (A.6), through the client's own parsing. */
const infisical = (status: number, error: string, message: string) =>
  infisicalErrorFrom(new Response(JSON.stringify({ reqId: 'req-1', statusCode: status, error, message, details: [] }), { status }));

function expectSentence(text: string) {
  expect(text).toMatch(/\.$/);
  expect(text.split(/\s+/).length).toBeGreaterThan(3);
  expect(text).not.toMatch(/\b(undefined|null|NaN)\b|\[object /);
}

describe('Infisical’s answers to the secret-sync endpoints', () => {
  it.each([
    ['create', /may not create secret syncs in this Infisical project/, /secret-syncs: create/],
    ['read', /may not read secret syncs/, /secret-syncs: read/],
    ['sync-secrets', /may not run secret syncs/, /secret-syncs: sync-secrets/],
  ])('403 “You are not allowed to %s on secret-syncs” names the project permission and where to grant it', async (action, title, fix) => {
    const message = describeError(await infisical(403, 'PermissionDenied', `You are not allowed to ${action} on secret-syncs`));
    expect(message.title).toMatch(title);
    expect(message.fix).toMatch(fix);
    expect(message.fix).toMatch(/your project › Access Control › Roles/);
    expect(message.fix).not.toMatch(/Organization settings/);
  });

  it('403 on the environment’s secrets: the identity may not read what it would sync', async () => {
    const message = describeError(await infisical(403, 'PermissionDenied', 'You are not allowed to readValue on secrets'));
    expect(message.title).toMatch(/may not read the secrets of this environment/);
    expect(message.fix).toMatch(/Access Control › Roles/);
  });

  it('the connections’ own 403 sentence is unchanged', async () => {
    expect(describeError(await infisical(403, 'PermissionDenied', 'You are not allowed to create on app-connections')).fix).toMatch(/app-connections: create/);
  });

  it('404 for the Infisical project: add the identity to it', async () => {
    const message = describeError(await infisical(404, 'NotFound', "Project with ID '3f2c6a1e-0000-4000-8000-000000000001' not found"));
    expect(message.title).toMatch(/no project with this ID that the machine identity can see/);
    expect(message.fix).toMatch(/Machine Identities/);
  });

  it('403 for a project the identity is not a member of (the sentence in `error`)', async () => {
    const message = describeError(await infisical(403, "Identity is not a member of the specified project with ID 'p9'", 'You are not allowed to access this resource'));
    expect(message.title).toBe('The machine identity is not a member of this Infisical project.');
    expect(message.fix).toMatch(/Machine Identities/);
  });

  it('400 for the folder or environment names both', async () => {
    const message = describeError(await infisical(400, 'BadRequest', 'Could not find folder with path "/app" in environment "dev" for project with ID "p1"'));
    expect(message.title).toBe('The Infisical project has no folder “/app” in the environment “dev”.');
    expect(message.fix).toMatch(/existing secret path/);
  });

  it('400 for a sync name already used in the project: not the connections’ “name taken”', async () => {
    const message = describeError(await infisical(400, 'BadRequest', 'A Secret Sync with the name "azure-devops-contoso-web-dev" already exists for the project with ID "p1"'));
    expect(message.title).toBe('A secret sync named “azure-devops-contoso-web-dev” already exists in this Infisical project.');
    expect(message.fix).toMatch(/Integrations › Secret Syncs/);
    expect(message.title).not.toMatch(/connection/);
  });

  it('404 for a sync deleted in Infisical', async () => {
    expect(describeError(await infisical(404, 'NotFound', 'Could not find Azure DevOps Sync with ID 11111111-2222-4333-8444-555555555555')).title).toMatch(
      /no longer has this secret sync/,
    );
  });

  it('every rule gives a sentence, and none is the general Infisical one', () => {
    for (const rule of SECRET_SYNC_RULES) {
      const e = new InfisicalError('PermissionDenied', 'You are not allowed to create on secret-syncs', { status: 403 });
      const entry = typeof rule.entry === 'function' ? rule.entry(e) : rule.entry;
      expectSentence(entry.title);
      expectSentence(entry.fix);
      expect(
        INFISICAL_RULES.some((r) => r.id === rule.id),
        rule.id,
      ).toBe(false);
    }
  });
});

describe('the Azure DevOps project a page names', () => {
  it('TF200016 (utils/azure-devops/project-reads.ts `project-not-found`) names the project', () => {
    const message = describeError(
      new AzureDevOpsError('project-not-found', "There is no project 'Web Shop' in the Azure DevOps organization 'contoso'.", {
        status: 404,
        detail: 'TF200016: The following project does not exist: Web Shop.',
      }),
    );
    expect(message.title).toBe('Azure DevOps has no project “Web Shop” in this organization that your account can see.');
    expect(message.fix).toMatch(/start again from its page/);
    expect(message.details).toMatch(/TF200016/);
  });
});

describe('a sync run that failed (its lastSyncMessage)', () => {
  it('“Unsupported connection method”: make the connection with a PAT or OAuth', () => {
    const message = describeError(new ExtensionError('sync-failed', 'Unsupported connection method'));
    expect(message.title).toMatch(/cannot sync with a service-principal \(client secret\) connection/);
    expect(message.fix).toMatch(/Sign in with Microsoft/);
    expect(message.fix).toMatch(/OAuth/);
  });

  it.each([
    ['Request failed with status code 401', /refused the connection’s credentials/, /renew/],
    ['Request failed with status code 403', /did not let the connection write/, /Variable Groups/],
    ['TF200016: The following project does not exist: p1.', /could not find the project/, /project’s page/],
    ['Something odd', /could not sync the secrets into Azure DevOps: Something odd\./, /Sync now/],
  ])('%s', (text, title, fix) => {
    const entry = syncFailure(text);
    expect(entry.title).toMatch(title);
    expect(entry.fix).toMatch(fix);
  });

  it('a token in the run’s message never reaches the sentence', () => {
    const pat = 'abcdefghijklmnopqrstuvwxyz234567'.repeat(2).slice(0, 52);
    expect(syncFailure(`bad token ${pat}`).title).not.toContain(pat);
  });
});

describe('what the sync flow refuses itself', () => {
  it.each([
    [new ExtensionError('infisical-project-missing', 'x'), /not a member of that Infisical project/],
    [new ExtensionError('environment-missing', "The Infisical project has no environment 'staging'."), /no environment “staging”/],
    [new ExtensionError('sync-exists', "The secret sync 'azure-devops-contoso-web-dev' already syncs it."), /The secret sync “azure-devops-contoso-web-dev” already syncs/],
    [new ExtensionError('sync-failed', ''), /no reason given/],
  ])('%s', (error, title) => {
    const message = describeError(error);
    expect(message.title).toMatch(title);
    expectSentence(message.title);
    expectSentence(message.fix);
  });

  it('adds codes without replacing any of the existing catalogues', () => {
    for (const code of Object.keys(SECRET_SYNC_EXTENSION)) expect(Object.hasOwn(EXTENSION, code), code).toBe(false);
    for (const code of Object.keys(SECRET_SYNC_AZURE_DEVOPS)) expect(Object.hasOwn({ ...AZURE_DEVOPS, ...PAT_ERRORS }, code), code).toBe(false);
    for (const code of Object.keys(SECRET_SYNC_EXTENSION)) {
      const e = new ExtensionError(code, 'x');
      expect(describeError(e).title).not.toBe(fallback(e).title);
    }
  });
});
