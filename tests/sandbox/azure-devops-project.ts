// One Azure DevOps project by name or id (docs/contracts.md B.6): `GET /{org}/_apis/projects/{nameOrId}`,
// and the lookup the variable-group routes share. Unknown → 404 TF200016, as Azure DevOps words it.
import type { AdoOrgConfig } from './config.ts';
import { json, type RequestContext, type SandboxResponse } from './http.ts';
import { authenticate, checkApiVersion, findOrg, orgNotFound } from './azure-devops-auth.ts';

export type AdoProject = AdoOrgConfig['projects'][number];

const LAST_UPDATE = '2025-11-03T09:12:44.83Z';
/** Who may read a project: the same scopes as the projects list (docs/contracts.md B.3). */
export const PROJECT_READ_SCOPES = ['vso.project', 'vso.project_write', 'vso.project_manage', 'vso.profile'];

/** By id, or by name case-insensitively, as Azure DevOps resolves `{project}` in a URL. */
export function findAdoProject(org: AdoOrgConfig, nameOrId: string): AdoProject | undefined {
  const wanted = nameOrId.toLowerCase();
  return org.projects.find((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
}

/** `ProjectDoesNotExistWithNameException`, whose type lives in Core.WebApi rather than the framework's namespace. */
export const projectDoesNotExist = (nameOrId: string): SandboxResponse =>
  json(404, {
    $id: '1',
    innerException: null,
    message: `TF200016: The following project does not exist: ${nameOrId}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
    typeName: 'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
    typeKey: 'ProjectDoesNotExistWithNameException',
    errorCode: 0,
    eventId: 3000,
  });

export const projectView = (org: AdoOrgConfig, p: AdoProject, revision = 11) => ({
  id: p.id,
  name: p.name,
  ...(p.description ? { description: p.description } : {}),
  url: `https://dev.azure.com/${org.name}/_apis/projects/${p.id}`,
  state: 'wellFormed',
  revision,
  visibility: 'private',
  lastUpdateTime: LAST_UPDATE,
});

export function oneProject(ctx: RequestContext): SandboxResponse {
  const org = findOrg(ctx, ctx.params[0] ?? '');
  if (!org) return orgNotFound(ctx.params[0] ?? '');
  const who = authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes: PROJECT_READ_SCOPES });
  if ('status' in who) return who;
  const versionError = checkApiVersion(ctx, false);
  if (versionError) return versionError;
  const nameOrId = ctx.params[1] ?? '';
  const project = findAdoProject(org, nameOrId);
  return project ? json(200, projectView(org, project, 11 + org.projects.indexOf(project))) : projectDoesNotExist(nameOrId);
}
