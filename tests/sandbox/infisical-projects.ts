// Infisical projects as a machine identity reads them (docs/contracts.md A.11): `GET /api/v1/projects`
// lists the projects the identity is a member of (optionally of one `type`), each with its
// environments; `GET /api/v1/projects/:projectId` reads one.
import { z } from 'zod';
import { PROJECT_TYPES } from './fixtures.ts';
import { json, type RequestContext, type SandboxResponse } from './http.ts';
import { requireIdentity } from './infisical-auth.ts';
import { validationFailure } from './infisical-errors.ts';
import { isMember, memberProject } from './infisical-project-access.ts';
import type { InfisicalProjectRecord } from './state.ts';

const ListQuery = z.object({
  includeRoles: z.enum(['true', 'false']).default('false'),
  type: z.enum(PROJECT_TYPES).optional(),
});

/** `SanitizedProjectSchema` plus `_id` and `environments: { name, slug, id }[]` (`projectWithEnv` in Infisical's project router). */
function projectView(p: InfisicalProjectRecord) {
  return {
    id: p.id,
    _id: p.id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    type: p.type,
    orgId: p.orgId,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: 3,
    autoCapitalization: false,
    upgradeStatus: null,
    pitVersionLimit: 10,
    kmsCertificateKeyId: null,
    auditLogsRetentionDays: null,
    hasDeleteProtection: false,
    secretSharing: true,
    showSnapshotsLegacy: false,
    environments: p.environments.map(({ name, slug, id }) => ({ name, slug, id })),
  };
}

export function listProjects(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const query = ListQuery.safeParse(Object.fromEntries(ctx.query));
  if (!query.success) return validationFailure(query.error.issues);
  const { type } = query.data;
  const projects = ctx.state.infisicalProjects.filter((p) => p.orgId === ctx.config.infisical.orgId && isMember(identity, p.id) && (!type || p.type === type));
  return json(200, { projects: projects.map(projectView) });
}

export function getProject(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const project = memberProject(ctx, identity, ctx.params[0] ?? '');
  return 'status' in project ? project : json(200, { project: projectView(project) });
}
