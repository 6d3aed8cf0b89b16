// Project-scoped Azure DevOps connections (docs/contracts.md A.12): `projectId` on create, checked
// against the project's role; names unique per scope; `?projectId=` on the list and the name
// lookup; `projectId` in answers; and an older build (`infisical.projectConnections: false`) that
// drops a `projectId` and answers without the key.
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { INFISICAL, INFISICAL_PROJECTS, SEEDED_PATS } from './fixtures.ts';
import { infisicalLogin } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const ADO = `${INFISICAL.siteUrl}/api/v1/app-connections/azure-devops`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const { payments, platform, legacyBilling } = INFISICAL_PROJECTS;
const body = (name: string, projectId?: string) => ({
  name,
  method: 'access-token',
  credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' },
  ...(projectId ? { projectId } : {}),
});
const create = (token: string, name: string, projectId?: string) => sandboxFetch(sb, ADO, { method: 'POST', headers: bearer(token), body: body(name, projectId) });

describe('fake Infisical: project connections', () => {
  it('creates a connection in a project; answers carry projectId, null at organization level', async () => {
    const token = await infisicalLogin(sb);
    const inProject = await create(token, 'azure-devops-contoso', payments.id);
    expect(inProject.status, inProject.text).toBe(200);
    expect(inProject.json().appConnection).toMatchObject({ name: 'azure-devops-contoso', projectId: payments.id, credentials: { orgName: 'contoso' } });
    const orgLevel = await create(token, 'azure-devops-contoso');
    expect(orgLevel.json().appConnection.projectId).toBeNull();
    expect(sb.state.connections.map((c) => c.projectId)).toEqual([payments.id, null]);
  });

  it('keeps names unique per scope: the same name in the organization, in another project, but not twice in one project', async () => {
    const token = await infisicalLogin(sb);
    expect((await create(token, 'shared-name', payments.id)).status).toBe(200);
    expect((await create(token, 'shared-name')).status).toBe(200);
    expect((await create(token, 'shared-name', platform.id)).status).toBe(200);
    const again = await create(token, 'shared-name', payments.id);
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: 'BadRequest', message: 'An App Connection with the name "shared-name" already exists' });
    expect((await create(token, 'shared-name')).json().message).toBe('An App Connection with the name "shared-name" already exists');
  });

  it('lists and looks up by name per scope with ?projectId=', async () => {
    const token = await infisicalLogin(sb);
    const inPayments = (await create(token, 'same', payments.id)).json().appConnection;
    const orgLevel = (await create(token, 'same')).json().appConnection;
    await create(token, 'platform-only', platform.id);
    const ids = async (query: string) => (await sandboxFetch(sb, `${ADO}${query}`, { headers: bearer(token) })).json().appConnections.map((c: { id: string }) => c.id);
    expect(await ids(`?projectId=${payments.id}`)).toEqual([inPayments.id]);
    // The organization list filters on the organization only: its projects' connections are in it.
    expect((await ids('')).length).toBe(3);
    const byName = async (query: string) => sandboxFetch(sb, `${ADO}/connection-name/same${query}`, { headers: bearer(token) });
    expect((await byName(`?projectId=${payments.id}`)).json().appConnection.id).toBe(inPayments.id);
    expect((await byName('')).json().appConnection.id).toBe(orgLevel.id);
    const missing = await sandboxFetch(sb, `${ADO}/connection-name/platform-only`, { headers: bearer(token) });
    expect(missing.json()).toMatchObject({ statusCode: 404, message: 'Could not find App Connection with name platform-only in organization scope.' });
    const missingInProject = await sandboxFetch(sb, `${ADO}/connection-name/nope?projectId=${payments.id}`, { headers: bearer(token) });
    expect(missingInProject.json()).toMatchObject({ statusCode: 404, message: 'Could not find App Connection with name nope in project scope.' });
  });

  it("checks the project's role, not the organization's: create refused with the organization's words", async () => {
    sb.config.infisical.identity.actions = ['connect'];
    const token = await infisicalLogin(sb);
    // The organization role may not create, the project role may.
    expect((await create(token, 'in-project', payments.id)).status).toBe(200);
    expect((await create(token, 'org-level')).json()).toMatchObject({ statusCode: 403, message: 'You are not allowed to create on app-connections' });
    sb.config.infisical.identity.projectActions['app-connections'] = ['read'];
    const denied = await create(token, 'denied', payments.id);
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: 'PermissionDenied', message: 'You are not allowed to create on app-connections', details: [] });
    // No credential check ran for the refused creates.
    expect(sb.requests.filter((r) => r.host === 'dev.azure.com')).toHaveLength(1);
  });

  it('refuses an unknown project (400) and a project the identity is not a member of (403)', async () => {
    const token = await infisicalLogin(sb);
    const unknown = '0f0e0d0c-0b0a-4909-8807-060504030201';
    expect((await create(token, 'x', unknown)).json()).toMatchObject({ statusCode: 400, error: 'BadRequest', message: `Could not find project with ID ${unknown}` });
    const outsider = await create(token, 'x', legacyBilling.id);
    expect(outsider.status).toBe(403);
    expect(outsider.json()).toMatchObject({ error: `Identity is not a member of the specified project with ID '${legacyBilling.id}'` });
    const list = await sandboxFetch(sb, `${ADO}?projectId=${legacyBilling.id}`, { headers: bearer(token) });
    expect(list.status).toBe(403);
    expect(sb.state.connections).toEqual([]);
  });

  it("PATCH and DELETE of a project connection go by the project's role", async () => {
    const token = await infisicalLogin(sb);
    const c = (await create(token, 'to-edit', payments.id)).json().appConnection;
    sb.config.infisical.identity.actions = [];
    const renamed = await sandboxFetch(sb, `${ADO}/${c.id}`, { method: 'PATCH', headers: bearer(token), body: { description: 'edited' } });
    expect(renamed.json().appConnection).toMatchObject({ description: 'edited', projectId: payments.id });
    sb.config.infisical.identity.projectActions['app-connections'] = ['read'];
    const del = await sandboxFetch(sb, `${ADO}/${c.id}`, { method: 'DELETE', headers: bearer(token) });
    expect(del.json()).toMatchObject({ statusCode: 403, message: 'You are not allowed to delete on app-connections' });
  });

  it('an older build (projectConnections false) drops projectId from the body and from every answer', async () => {
    sb.config.infisical.projectConnections = false;
    const token = await infisicalLogin(sb);
    const res = await create(token, 'older', payments.id);
    expect(res.status).toBe(200);
    const { appConnection } = res.json();
    expect(appConnection).not.toHaveProperty('projectId');
    expect(sb.state.connections[0]?.projectId).toBeNull();
    const listed = (await sandboxFetch(sb, `${ADO}?projectId=${payments.id}`, { headers: bearer(token) })).json().appConnections;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('projectId');
    const byName = await sandboxFetch(sb, `${ADO}/connection-name/older?projectId=${payments.id}`, { headers: bearer(token) });
    expect(byName.json().appConnection).toMatchObject({ id: appConnection.id });
    expect(byName.json().appConnection).not.toHaveProperty('projectId');
  });
});
