// The fake Azure DevOps' one-project read and variable groups (docs/contracts.md B.6): by project name
// or id, the groupName filter, create / replace / delete with their scopes, secret values answered
// as null and kept server-side, a taken name refused; seedVariableGroup in-process and over the
// admin API.
import { describe, expect, it } from 'vitest';
import { httpsRequest, sandboxFetch } from './client.ts';
import { ORGS, SEEDED_PATS } from './fixtures.ts';
import { signIn } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import { seedVariableGroup } from './seed.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const basic = (pat: string) => ({ authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` });
const PAYMENTS = ORGS.contoso.projects[0];
const PLATFORM = ORGS.contoso.projects[1];
const ADO = 'https://dev.azure.com/contoso';
const GROUPS = `${ADO}/_apis/distributedtask/variablegroups`;
const pasted = basic(SEEDED_PATS.contosoPasted.token);

/** A PAT for contoso with only `scope`, minted through the PAT API as Ada. */
async function patWith(scope: string): Promise<Record<string, string>> {
  const token = (await signIn(sb)).access_token;
  const res = await sandboxFetch(sb, 'https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: { displayName: `only ${scope}`, scope, validTo: new Date(Date.now() + 86_400_000).toISOString(), allOrgs: false },
  });
  return basic(res.json().patToken.token);
}

const groupBody = (name: string, variables: Record<string, { value: string | null; isSecret: boolean }>, projectId: string = PAYMENTS.id) => ({
  name,
  description: name,
  type: 'Vsts',
  variables,
  variableGroupProjectReferences: [{ name, description: name, projectReference: { id: projectId, name: projectId } }],
});

describe('fake Azure DevOps: one project by name or id', () => {
  it('finds a project by id or by name in any case; 404 TF200016 otherwise', async () => {
    for (const key of [PAYMENTS.id, 'Payments', 'payments']) {
      const res = await sandboxFetch(sb, `${ADO}/_apis/projects/${key}?api-version=7.1`, { headers: pasted });
      expect(res.status, key).toBe(200);
      expect(res.json()).toMatchObject({
        id: PAYMENTS.id,
        name: 'Payments',
        description: 'Card payments',
        url: `https://dev.azure.com/contoso/_apis/projects/${PAYMENTS.id}`,
        state: 'wellFormed',
        visibility: 'private',
      });
    }
    const missing = await sandboxFetch(sb, `${ADO}/_apis/projects/Nope?api-version=7.1`, { headers: pasted });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      $id: '1',
      innerException: null,
      message: 'TF200016: The following project does not exist: Nope. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.',
      typeName: 'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
      typeKey: 'ProjectDoesNotExistWithNameException',
      errorCode: 0,
      eventId: 3000,
    });
    expect((await sandboxFetch(sb, `${ADO}/_apis/projects/Payments`, { headers: pasted })).status).toBe(400);
    expect((await sandboxFetch(sb, `${ADO}/_apis/projects/Payments?api-version=7.1`)).status).toBe(401);
  });
});

describe('fake Azure DevOps: variable groups', () => {
  it('creates a group with secret values kept server-side, lists it by project name or id and by groupName, gets it', async () => {
    const res = await sandboxFetch(sb, `${GROUPS}?api-version=7.1`, {
      method: 'POST',
      headers: pasted,
      body: groupBody('Development', { DATABASE_URL: { value: 'postgres://x', isSecret: true }, REGION: { value: 'westeurope', isSecret: false } }),
    });
    expect(res.status, res.text).toBe(200);
    const group = res.json();
    expect(group).toMatchObject({
      id: expect.any(Number),
      type: 'Vsts',
      name: 'Development',
      variables: { DATABASE_URL: { value: null, isSecret: true }, REGION: { value: 'westeurope', isSecret: false } },
      variableGroupProjectReferences: [{ name: 'Development', projectReference: { id: PAYMENTS.id, name: 'Payments' } }],
      createdBy: { displayName: 'Ada Lovelace' },
      isShared: false,
    });
    expect(sb.state.variableGroups[0]?.variables['DATABASE_URL']).toEqual({ value: 'postgres://x', isSecret: true });
    for (const project of ['Payments', PAYMENTS.id]) {
      const list = await sandboxFetch(sb, `${ADO}/${project}/_apis/distributedtask/variablegroups?api-version=7.1`, { headers: pasted });
      expect(list.json()).toEqual({ count: 1, value: [group] });
    }
    const filtered = await sandboxFetch(sb, `${ADO}/Payments/_apis/distributedtask/variablegroups?groupName=development&api-version=7.1`, { headers: pasted });
    expect(filtered.json().count).toBe(1);
    expect((await sandboxFetch(sb, `${ADO}/Payments/_apis/distributedtask/variablegroups?groupName=Prod*&api-version=7.1`, { headers: pasted })).json().count).toBe(0);
    expect((await sandboxFetch(sb, `${ADO}/Platform/_apis/distributedtask/variablegroups?api-version=7.1`, { headers: pasted })).json()).toEqual({ count: 0, value: [] });
    expect((await sandboxFetch(sb, `${ADO}/Payments/_apis/distributedtask/variablegroups/${group.id}?api-version=7.1`, { headers: pasted })).json()).toEqual(group);
    expect((await sandboxFetch(sb, `${ADO}/Nope/_apis/distributedtask/variablegroups?api-version=7.1`, { headers: pasted })).status).toBe(404);
  });

  it('refuses a name the project already has, in any case', async () => {
    const post = (name: string) => sandboxFetch(sb, `${GROUPS}?api-version=7.1`, { method: 'POST', headers: pasted, body: groupBody(name, {}) });
    expect((await post('Development')).status).toBe(200);
    const dup = await post('development');
    expect(dup.status).toBe(400);
    expect(dup.json()).toMatchObject({ message: "Variable group with name 'development' already exists.", typeKey: 'VariableGroupExistsException' });
    const other = await sandboxFetch(sb, `${GROUPS}?api-version=7.1`, { method: 'POST', headers: pasted, body: groupBody('Development', {}, PLATFORM.id) });
    expect(other.status).toBe(200);
  });

  it('PUT replaces every variable; DELETE with projectIds removes the group (204)', async () => {
    const seeded = seedVariableGroup(sb, { name: 'Development', variables: 3 });
    const put = await sandboxFetch(sb, `${GROUPS}/${seeded.id}?api-version=7.1`, {
      method: 'PUT',
      headers: pasted,
      body: groupBody('Development', { ONLY: { value: 'one', isSecret: true } }),
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json().variables).toEqual({ ONLY: { value: null, isSecret: true } });
    expect(sb.state.variableGroups[0]?.variables).toEqual({ ONLY: { value: 'one', isSecret: true } });
    expect((await sandboxFetch(sb, `${GROUPS}/999?api-version=7.1`, { method: 'PUT', headers: pasted, body: groupBody('X', {}) })).status).toBe(404);
    const del = await sandboxFetch(sb, `${GROUPS}/${seeded.id}?projectIds=${PAYMENTS.id}&api-version=7.1`, { method: 'DELETE', headers: pasted });
    expect(del.status).toBe(204);
    expect(sb.state.variableGroups).toEqual([]);
  });

  it('checks PAT scopes: read with _read, write with _write, delete with _manage only', async () => {
    const seeded = seedVariableGroup(sb, { name: 'Staging', variables: { A: 'a', B: { value: 'b', isSecret: true } } });
    const reader = await patWith('vso.variablegroups_read');
    const writer = await patWith('vso.variablegroups_write');
    const other = await patWith('vso.project');
    const list = `${ADO}/Payments/_apis/distributedtask/variablegroups?api-version=7.1`;
    expect((await sandboxFetch(sb, list, { headers: reader })).json().value[0].variables).toEqual({ A: { value: 'a', isSecret: false }, B: { value: null, isSecret: true } });
    expect((await sandboxFetch(sb, list, { headers: other })).status).toBe(401);
    expect((await sandboxFetch(sb, `${GROUPS}?api-version=7.1`, { method: 'POST', headers: reader, body: groupBody('New', {}) })).status).toBe(401);
    expect((await sandboxFetch(sb, `${GROUPS}?api-version=7.1`, { method: 'POST', headers: writer, body: groupBody('New', {}) })).status).toBe(200);
    const del = (headers: Record<string, string>) => sandboxFetch(sb, `${GROUPS}/${seeded.id}?projectIds=${PAYMENTS.id}&api-version=7.1`, { method: 'DELETE', headers });
    expect((await del(writer)).status).toBe(401);
    expect((await del(pasted)).status).toBe(204);
  });

  it('accepts an Entra token; appears in GET /__sandbox/state; seeds over the admin API', async () => {
    const token = (await signIn(sb)).access_token;
    const res = await sandboxFetch(sb, `${ADO}/Payments/_apis/distributedtask/variablegroups?api-version=7.1`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const admin = (method: string, path: string, body?: object) => httpsRequest({ port: sb.port, caPem: sb.caPem }, `https://localhost${path}`, { method, ...(body ? { body } : {}) });
    const seeded = await admin('POST', '/__sandbox/variable-groups', { name: 'Production', project: 'Platform', variables: 2 });
    expect(seeded.status, seeded.text).toBe(200);
    expect(seeded.json()).toMatchObject({ name: 'Production', variables: { VARIABLE_1: { value: 'value-1', isSecret: false }, VARIABLE_2: expect.any(Object) } });
    expect((await admin('POST', '/__sandbox/variable-groups', { name: 'production', project: 'Platform' })).status).toBe(400);
    const state = (await admin('GET', '/__sandbox/state')).json().state;
    expect(state.variableGroups).toEqual([expect.objectContaining({ name: 'Production', org: 'contoso' })]);
  });
});
