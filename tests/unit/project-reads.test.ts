import { describe, expect, it } from 'vitest';
import { createProjectReads } from '@/utils/azure-devops/project-reads';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { describeError } from '@/utils/errors/describe-error';
import type { FetchLike } from '@/utils/http/request';

/** The Azure DevOps reads of the sync flow (utils/azure-devops/project-reads.ts; docs/contracts.md A.9, B.3). */

function reads(respond: (url: string) => Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ url, ...(init ? { init } : {}) });
    return respond(url);
  };
  return { ado: createProjectReads({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }), calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const PROJECT = {
  id: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  name: 'Web Shop',
  url: 'https://dev.azure.com/contoso/_apis/projects/6ce954b1',
  state: 'wellFormed',
  revision: 11,
  visibility: 'private',
};
const TF200016 = {
  $id: '1',
  innerException: null,
  message: 'TF200016: The following project does not exist: Nope. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.',
  typeName: 'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
  typeKey: 'ProjectDoesNotExistWithNameException',
  errorCode: 0,
  eventId: 3000,
};
const group = (id: number, name: string, count: number) => ({
  id,
  type: 'Vsts',
  name,
  description: name,
  variables: Object.fromEntries(Array.from({ length: count }, (_, i) => [`KEY_${i}`, { value: null, isSecret: true }])),
  isShared: false,
});

describe('project reads', () => {
  it('gets a project by its name, with the Entra token as Bearer', async () => {
    const { ado, calls } = reads(() => json(200, PROJECT));
    expect(await ado.getProject('entra-token', 'contoso', 'Web Shop')).toEqual({ id: PROJECT.id, name: 'Web Shop' });
    expect(calls[0]?.url).toBe('https://dev.azure.com/contoso/_apis/projects/Web%20Shop?api-version=7.1');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer entra-token');
  });

  it('TF200016 is `project-not-found`, naming the project and not the token', async () => {
    const { ado } = reads(() => json(404, TF200016));
    const error = await ado.getProject('entra-token-value', 'contoso', 'Nope').catch((e: unknown) => e);
    expect(error).toMatchObject({ source: 'azure-devops', code: 'project-not-found', status: 404 });
    const message = describeError(error);
    expect(message.title).toMatch(/no project “Nope”/);
    expect(JSON.stringify(message)).not.toContain('entra-token-value');
  });

  it('other refusals keep the client’s codes', async () => {
    expect(
      await reads(() => json(401, { message: 'no' }))
        .ado.getProject('t', 'contoso', 'x')
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'unauthorized' });
    expect(
      await reads(() => new Response('<html/>', { status: 203 }))
        .ado.getProject('t', 'contoso', 'x')
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'unauthorized' });
    expect(
      await reads(() => json(404, { message: 'gone' }))
        .ado.getProject('t', 'contoso', 'x')
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'not-found' });
  });

  it('finds the variable group of exactly that name (as Infisical’s sync compares, A.9) and counts its variables', async () => {
    const { ado, calls } = reads(() => json(200, { count: 4, value: [group(1, 'Development*', 1), { id: 'bad' }, group(3, 'development', 2), group(2, 'Development', 4)] }));
    expect(await ado.findVariableGroup('t', 'contoso', PROJECT.id, 'Development')).toEqual({ id: 2, name: 'Development', variableCount: 4, exact: true });
    expect(calls[0]?.url).toBe(`https://dev.azure.com/contoso/${PROJECT.id}/_apis/distributedtask/variablegroups?groupName=Development&api-version=7.1`);
  });

  it('names a group that differs only in case as not exact: the sync would not replace it', async () => {
    const { ado } = reads(() => json(200, { count: 1, value: [group(3, 'development', 2)] }));
    expect(await ado.findVariableGroup('t', 'contoso', PROJECT.id, 'Development')).toEqual({ id: 3, name: 'development', variableCount: 2, exact: false });
  });

  it('answers null when no group has the name', async () => {
    const { ado } = reads(() => json(200, { count: 1, value: [group(1, 'Production', 2)] }));
    expect(await ado.findVariableGroup('t', 'contoso', PROJECT.id, 'Development')).toBeNull();
    expect(await reads(() => json(200, { count: 0, value: [] })).ado.findVariableGroup('t', 'contoso', PROJECT.id, 'Development')).toBeNull();
  });
});
