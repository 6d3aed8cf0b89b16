// Azure DevOps variable groups (distributedtask, docs/contracts.md B.6), what Infisical's Azure DevOps
// sync writes: list and get in a project, create, replace (PUT) and delete at the organization.
// PAT scopes: `vso.variablegroups_read` (or higher) to read, `_write` / `_manage` to create and
// replace, `_manage` to delete; Entra tokens as for every other route. Secret values are kept
// (test data, `state.variableGroups`) and answered as null.
import type { AdoOrgConfig } from './config.ts';
import { adoError, authenticate, checkApiVersion, findOrg, orgNotFound, type AdoIdentity } from './azure-devops-auth.ts';
import { findAdoProject, projectDoesNotExist } from './azure-devops-project.ts';
import { bodyJson, json, type RequestContext, type SandboxResponse } from './http.ts';
import { isoNow, type VariableGroupRecord } from './state.ts';

const READ = ['vso.variablegroups_read', 'vso.variablegroups_write', 'vso.variablegroups_manage'];
const WRITE = ['vso.variablegroups_write', 'vso.variablegroups_manage'];
const MANAGE = ['vso.variablegroups_manage'];

/** Errors of the distributed-task service carry its own namespace in `typeName`. */
function taskError(status: number, message: string, typeKey: string): SandboxResponse {
  const ns = 'Microsoft.TeamFoundation.DistributedTask.WebApi';
  return json(status, { $id: '1', innerException: null, message, typeName: `${ns}.${typeKey}, ${ns}`, typeKey, errorCode: 0, eventId: 3000 });
}
const groupExists = (name: string) => taskError(400, `Variable group with name '${name}' already exists.`, 'VariableGroupExistsException');
const groupNotFound = (id: string) => taskError(404, `Variable group with id '${id}' does not exist.`, 'VariableGroupNotFoundException');

type Authed = { org: AdoOrgConfig; who: AdoIdentity };
/** The org (404), the caller with one of `scopes` (401), api-version (400). */
function open(ctx: RequestContext, scopes: string[]): Authed | SandboxResponse {
  const org = findOrg(ctx, ctx.params[0] ?? '');
  if (!org) return orgNotFound(ctx.params[0] ?? '');
  const who = authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes });
  if ('status' in who) return who;
  const versionError = checkApiVersion(ctx, false);
  if (versionError) return versionError;
  return { org, who };
}

const groupsOf = (ctx: RequestContext, org: AdoOrgConfig) => ctx.state.variableGroups.filter((g) => g.org === org.name.toLowerCase());
const inProject = (g: VariableGroupRecord, projectId: string) => g.variableGroupProjectReferences.some((r) => r.projectReference.id === projectId);

function identityOf(ctx: RequestContext, who: AdoIdentity): { id: string; displayName: string } {
  const id = who.kind === 'entra' ? who.token.oid : who.pat.ownerOid;
  return { id, displayName: ctx.config.entra.users[id]?.name ?? ctx.config.entra.apps[who.kind === 'entra' ? who.token.clientId : '']?.displayName ?? id };
}

/** What Azure DevOps answers: every field as stored, secret values as null. */
export function groupView(g: VariableGroupRecord) {
  const { org: _org, variables, ...rest } = g;
  return { ...rest, variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.isSecret ? { value: null, isSecret: true } : { value: v.value, isSecret: false }])) };
}

/** `groupName` filter: exact and case-insensitive, `*` as a wildcard. */
function nameFilter(pattern: string | null): (name: string) => boolean {
  if (!pattern) return () => true;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return (name) => re.test(name);
}

/** `GET /{org}/{project}/_apis/distributedtask/variablegroups[?groupName=]` → `{ count, value }`, newest id first. */
export function listGroups(ctx: RequestContext): SandboxResponse {
  const a = open(ctx, READ);
  if ('status' in a) return a;
  const project = findAdoProject(a.org, ctx.params[1] ?? '');
  if (!project) return projectDoesNotExist(ctx.params[1] ?? '');
  const matches = nameFilter(ctx.query.get('groupName'));
  const value = groupsOf(ctx, a.org)
    .filter((g) => inProject(g, project.id) && matches(g.name))
    .sort((x, y) => y.id - x.id)
    .map(groupView);
  return json(200, { count: value.length, value });
}

export function getGroup(ctx: RequestContext): SandboxResponse {
  const a = open(ctx, READ);
  if ('status' in a) return a;
  const project = findAdoProject(a.org, ctx.params[1] ?? '');
  if (!project) return projectDoesNotExist(ctx.params[1] ?? '');
  const g = groupsOf(ctx, a.org).find((x) => String(x.id) === ctx.params[2] && inProject(x, project.id));
  return g ? json(200, groupView(g)) : groupNotFound(ctx.params[2] ?? '');
}

interface GroupBody {
  name?: unknown;
  description?: unknown;
  type?: unknown;
  variables?: unknown;
  variableGroupProjectReferences?: unknown;
}
type Parsed = Pick<VariableGroupRecord, 'name' | 'description' | 'variables' | 'variableGroupProjectReferences'>;

/** The parameters Azure DevOps checks: a name, at least one reference to a project of the org, variables as `{ value, isSecret }`. */
function parseBody(org: AdoOrgConfig, raw: unknown, previous?: VariableGroupRecord): Parsed | SandboxResponse {
  const b = (typeof raw === 'object' && raw !== null ? raw : {}) as GroupBody;
  if (typeof b.name !== 'string' || !b.name.trim()) return adoError(400, 'Value cannot be null.\r\nParameter name: variableGroupParameters.Name', 'ArgumentNullException');
  const refs = Array.isArray(b.variableGroupProjectReferences)
    ? (b.variableGroupProjectReferences as { name?: string; description?: string; projectReference?: { id?: string; name?: string } }[])
    : [];
  if (!refs.length) return adoError(400, 'Value cannot be null.\r\nParameter name: variableGroupParameters.VariableGroupProjectReferences', 'ArgumentNullException');
  const references: Parsed['variableGroupProjectReferences'] = [];
  for (const r of refs) {
    const key = r.projectReference?.id || r.projectReference?.name || '';
    const project = findAdoProject(org, key);
    if (!project) return projectDoesNotExist(key);
    references.push({ name: String(r.name ?? b.name), description: String(r.description ?? ''), projectReference: { id: project.id, name: project.name } });
  }
  const variables: Parsed['variables'] = {};
  for (const [key, v] of Object.entries((b.variables ?? {}) as Record<string, { value?: unknown; isSecret?: unknown }>)) {
    const isSecret = v?.isSecret === true;
    // A secret sent without a value keeps the one stored, as the web UI's edits rely on.
    const kept = previous?.variables[key];
    const value = v?.value === null || v?.value === undefined ? (isSecret && kept ? kept.value : '') : String(v.value);
    variables[key] = { value, isSecret };
  }
  return { name: b.name.trim(), description: typeof b.description === 'string' ? b.description : '', variables, variableGroupProjectReferences: references };
}

/** A name is unique among the groups of each project the group is in (case-insensitive). */
const nameTaken = (ctx: RequestContext, org: AdoOrgConfig, parsed: Parsed, exceptId?: number) =>
  groupsOf(ctx, org).some(
    (g) => g.id !== exceptId && g.name.toLowerCase() === parsed.name.toLowerCase() && parsed.variableGroupProjectReferences.some((r) => inProject(g, r.projectReference.id)),
  );

/** `POST /{org}/_apis/distributedtask/variablegroups` → the new group. */
export function createGroup(ctx: RequestContext): SandboxResponse {
  const a = open(ctx, WRITE);
  if ('status' in a) return a;
  const parsed = parseBody(a.org, bodyJson(ctx));
  if ('status' in parsed) return parsed;
  if (nameTaken(ctx, a.org, parsed)) return groupExists(parsed.name);
  const at = isoNow(ctx.state);
  const by = identityOf(ctx, a.who);
  ctx.state.variableGroupSeq += 1;
  const g: VariableGroupRecord = {
    id: ctx.state.variableGroupSeq,
    org: a.org.name.toLowerCase(),
    type: 'Vsts',
    ...parsed,
    createdBy: by,
    createdOn: at,
    modifiedBy: by,
    modifiedOn: at,
    isShared: false,
  };
  ctx.state.variableGroups.push(g);
  return json(200, groupView(g));
}

/** `PUT /{org}/_apis/distributedtask/variablegroups/{id}`: name, description, variables and references replaced as a whole. */
export function replaceGroup(ctx: RequestContext): SandboxResponse {
  const a = open(ctx, WRITE);
  if ('status' in a) return a;
  const g = groupsOf(ctx, a.org).find((x) => String(x.id) === ctx.params[1]);
  if (!g) return groupNotFound(ctx.params[1] ?? '');
  const parsed = parseBody(a.org, bodyJson(ctx), g);
  if ('status' in parsed) return parsed;
  if (nameTaken(ctx, a.org, parsed, g.id)) return groupExists(parsed.name);
  Object.assign(g, parsed, { modifiedBy: identityOf(ctx, a.who), modifiedOn: isoNow(ctx.state) });
  return json(200, groupView(g));
}

/** `DELETE …/variablegroups/{id}?projectIds=a,b` → 204: the group leaves those projects, and is gone when in none. */
export function deleteGroup(ctx: RequestContext): SandboxResponse {
  const a = open(ctx, MANAGE);
  if ('status' in a) return a;
  const projectIds = (ctx.query.get('projectIds') ?? '').split(',').filter(Boolean);
  if (!projectIds.length) return adoError(400, 'Value cannot be null.\r\nParameter name: projectIds', 'ArgumentNullException');
  const g = groupsOf(ctx, a.org).find((x) => String(x.id) === ctx.params[1]);
  if (!g) return groupNotFound(ctx.params[1] ?? '');
  const leaving = new Set(projectIds.map((id) => findAdoProject(a.org, id)?.id ?? id));
  g.variableGroupProjectReferences = g.variableGroupProjectReferences.filter((r) => !leaving.has(r.projectReference.id));
  if (!g.variableGroupProjectReferences.length) ctx.state.variableGroups.splice(ctx.state.variableGroups.indexOf(g), 1);
  return { status: 204, headers: {} };
}
