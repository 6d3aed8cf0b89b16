// The machine identity's place in Infisical projects (docs/contracts.md A.7, A.11): which project
// exists, whether the identity is a member, what its project role allows on a subject, and which
// folder an environment slug and a secret path name. Shared by the projects, connections and
// secret-sync routes, which all start with Infisical's `getProjectPermission`.
import type { IdentityConfig } from './config.ts';
import type { RequestContext, SandboxResponse } from './http.ts';
import { infError, notFound } from './infisical-errors.ts';
import type { InfisicalProjectRecord } from './state.ts';
import type { InfisicalFolderFixture } from './fixtures.ts';

/** Needs only the fakes' state and config, so background jobs (no request) can call it too. */
export const findProject = (ctx: Pick<RequestContext, 'state' | 'config'>, projectId: string): InfisicalProjectRecord | undefined =>
  ctx.state.infisicalProjects.find((p) => p.id === projectId && p.orgId === ctx.config.infisical.orgId);

export const projectNotFound = (projectId: string): SandboxResponse => notFound(`Project with ID '${projectId}' not found`);

/**
 * `getIdentityProjectPermission` without a membership: a ForbiddenRequestError whose `name` (the
 * body's `error`) carries the sentence and whose message is the generic one (docs/contracts.md A.11).
 */
export const notAMember = (projectId: string): SandboxResponse =>
  infError(403, `Identity is not a member of the specified project with ID '${projectId}'`, 'You are not allowed to access this resource');

export const isMember = (identity: IdentityConfig, projectId: string): boolean => identity.projectIds.includes(projectId);

/** The project, if it exists (else 404) and the identity is a member (else 403). */
export function memberProject(ctx: RequestContext, identity: IdentityConfig, projectId: string): InfisicalProjectRecord | SandboxResponse {
  const project = findProject(ctx, projectId);
  if (!project) return projectNotFound(projectId);
  return isMember(identity, projectId) ? project : notAMember(projectId);
}

/** What the identity's project role grants on `subject` in that project (a per-project entry replaces the default). */
export function projectAllows(identity: IdentityConfig, projectId: string, subject: string, action: string): boolean {
  if (!isMember(identity, projectId)) return false;
  const actions = identity.projectActionsById[projectId] ?? identity.projectActions;
  return actions[subject]?.includes(action) ?? false;
}

/** Infisical keeps paths without a trailing slash, the root as `/` (`removeTrailingSlash`, docs/contracts.md A.9). */
export const normalizePath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);

/** `folderDAL.findBySecretPath`: the folder of `path` in the environment `envSlug`, if both exist. */
export function findFolder(project: InfisicalProjectRecord, envSlug: string, path: string): InfisicalFolderFixture | undefined {
  if (!project.environments.some((e) => e.slug === envSlug)) return undefined;
  const wanted = normalizePath(path);
  return project.folders.find((f) => f.environment === envSlug && f.path === wanted);
}
