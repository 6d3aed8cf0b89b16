// Infisical projects as the identity reads them (docs/contracts.md A.11): the list of its member
// projects with environments, the `type` filter, and one project by id.
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { INFISICAL, INFISICAL_PROJECTS } from './fixtures.ts';
import { infisicalLogin } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const API = `${INFISICAL.siteUrl}/api/v1`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const REQ_ID = /^req-[A-Za-z0-9]{14}$/;
const { payments, platform, signingKeys, legacyBilling } = INFISICAL_PROJECTS;

describe('fake Infisical: projects', () => {
  it('lists the projects the identity is a member of, with their environments; type filters', async () => {
    const token = await infisicalLogin(sb);
    const all = await sandboxFetch(sb, `${API}/projects`, { headers: bearer(token) });
    expect(all.status).toBe(200);
    expect(all.json().projects.map((p: { name: string }) => p.name)).toEqual(['Payments API', 'Platform', 'Signing Keys']);
    const secretManager = await sandboxFetch(sb, `${API}/projects?type=secret-manager`, { headers: bearer(token) });
    const projects = secretManager.json().projects;
    expect(projects.map((p: { slug: string }) => p.slug)).toEqual(['payments-api', 'platform']);
    expect(projects[0]).toMatchObject({
      id: payments.id,
      _id: payments.id,
      name: 'Payments API',
      slug: 'payments-api',
      type: 'secret-manager',
      orgId: INFISICAL.orgId,
      environments: [
        { name: 'Development', slug: 'dev', id: payments.environments[0].id },
        { name: 'Staging', slug: 'staging', id: payments.environments[1].id },
        { name: 'Production', slug: 'prod', id: payments.environments[2].id },
      ],
    });
    expect(projects[1].environments.map((e: { slug: string }) => e.slug)).toEqual(['dev', 'prod']);
  });

  it('follows the membership in config, and refuses an unknown type with 422', async () => {
    sb.config.infisical.identity.projectIds = [platform.id, legacyBilling.id];
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, `${API}/projects?type=secret-manager`, { headers: bearer(token) });
    expect(res.json().projects.map((p: { name: string }) => p.name)).toEqual(['Platform', 'Legacy Billing']);
    const bad = await sandboxFetch(sb, `${API}/projects?type=vault`, { headers: bearer(token) });
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({ statusCode: 422, error: 'ValidationFailure', message: [expect.objectContaining({ path: ['type'] })] });
  });

  it('reads one project: 404 when unknown, 403 when the identity is not a member', async () => {
    const token = await infisicalLogin(sb);
    const one = await sandboxFetch(sb, `${API}/projects/${platform.id}`, { headers: bearer(token) });
    expect(one.json().project).toMatchObject({ id: platform.id, name: 'Platform', environments: [{ slug: 'dev' }, { slug: 'prod' }] });
    const kms = await sandboxFetch(sb, `${API}/projects/${signingKeys.id}`, { headers: bearer(token) });
    expect(kms.json().project).toMatchObject({ type: 'kms', environments: [] });
    const unknown = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const missing = await sandboxFetch(sb, `${API}/projects/${unknown}`, { headers: bearer(token) });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 404, error: 'NotFound', message: `Project with ID '${unknown}' not found` });
    const outsider = await sandboxFetch(sb, `${API}/projects/${legacyBilling.id}`, { headers: bearer(token) });
    expect(outsider.status).toBe(403);
    expect(outsider.json()).toMatchObject({
      error: `Identity is not a member of the specified project with ID '${legacyBilling.id}'`,
      message: 'You are not allowed to access this resource',
    });
  });

  it('needs an identity token', async () => {
    const res = await sandboxFetch(sb, `${API}/projects`);
    expect(res.json()).toMatchObject({ statusCode: 401, message: 'Token missing' });
  });

  it('a reset brings back the fixture projects after a test changed them', async () => {
    sb.state.infisicalProjects[0]!.folders[0]!.secrets['ADDED'] = 'x';
    sb.reset();
    expect(sb.state.infisicalProjects[0]!.folders[0]!.secrets).not.toHaveProperty('ADDED');
    expect(INFISICAL_PROJECTS.payments.folders[0].secrets).not.toHaveProperty('ADDED');
  });
});
