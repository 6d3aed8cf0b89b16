// Fake Azure DevOps: dev.azure.com here (tenant discovery B.4, projects B.3, one project and variable
// groups B.6, in their own files); the PAT lifecycle on
// vssps.dev.azure.com and profile/accounts on app.vssps.visualstudio.com live in their own files.
import { azureDevOpsPage } from './azure-devops-page.ts';
import { adoError, anonymous, authenticate, checkApiVersion, findOrg, orgNotFound, tenantHeaders } from './azure-devops-auth.ts';
import { handlePats } from './azure-devops-pats.ts';
import { oneProject } from './azure-devops-project.ts';
import * as groups from './azure-devops-variable-groups.ts';
import { handleProfile } from './azure-devops-profile.ts';
import type { AdoOrgConfig } from './config.ts';
import { dispatch, header, html, json, route, type RequestContext, type Route, type SandboxResponse } from './http.ts';

const ORG = '([^/_][^/]*)';
const LAST_UPDATE = '2025-11-03T09:12:44.83Z';

function projects(ctx: RequestContext): SandboxResponse {
  const org = findOrg(ctx, ctx.params[0] ?? '');
  if (!org) return orgNotFound(ctx.params[0] ?? '');
  const who = authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes: ['vso.project', 'vso.project_write', 'vso.project_manage', 'vso.profile'] });
  if ('status' in who) return who;
  const versionError = checkApiVersion(ctx, false);
  if (versionError) return versionError;
  const all = [...org.projects].sort((a, b) => a.name.localeCompare(b.name));
  const skip = Math.max(0, Number(ctx.query.get('$skip') ?? ctx.query.get('continuationToken') ?? 0) || 0);
  const top = Math.max(1, Math.min(Number(ctx.query.get('$top') ?? 100) || 100, 100));
  const value = all.slice(skip, skip + top).map((p, i) => ({
    id: p.id,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    url: `https://dev.azure.com/${org.name}/_apis/projects/${p.id}`,
    state: 'wellFormed',
    revision: 11 + i,
    visibility: 'private',
    lastUpdateTime: LAST_UPDATE,
  }));
  const more: Record<string, string> = skip + top < all.length ? { 'x-ms-continuationtoken': String(skip + top) } : {};
  return json(200, { count: value.length, value }, more);
}

function connectionData(ctx: RequestContext, org: AdoOrgConfig): SandboxResponse {
  const auth = ctx.headers.authorization ? authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes: [] }) : anonymous(org);
  if ('status' in auth) return auth;
  const id = auth.kind === 'entra' ? auth.token.oid : auth.pat.ownerOid;
  const name = ctx.config.entra.users[id]?.name ?? id;
  const user = { id, descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${org.tenantId}\\${id}`, providerDisplayName: name, isActive: true, properties: {} };
  return json(
    200,
    {
      authenticatedUser: user,
      authorizedUser: user,
      instanceId: org.accountId,
      deploymentId: org.accountId,
      deploymentType: 'hosted',
      locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'PublicAccessMapping', lastChangeId: 1 },
    },
    tenantHeaders(org),
  );
}

/**
 * Unauthenticated requests to the org get a 401 carrying the tenant (docs/contracts.md B.4). A browser
 * navigation (Sec-Fetch-Mode: navigate) gets a stand-in org page instead, so the content script has a
 * page to run on; the page still carries X-VSS-ResourceTenant.
 */
function orgPage(ctx: RequestContext): SandboxResponse {
  const org = findOrg(ctx, ctx.params[0] ?? '');
  if (!org) return orgNotFound(ctx.params[0] ?? '');
  if (/\/_apis\/connectiondata\/?$/i.test(ctx.path)) return connectionData(ctx, org);
  if (/\/_apis\//i.test(ctx.path)) {
    const who = authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes: [] });
    if ('status' in who) return who;
    return adoError(404, `The controller for path '${ctx.path}' was not found or does not implement IController.`, 'HttpException');
  }
  const navigation = header(ctx, 'sec-fetch-mode') === 'navigate';
  if (!navigation) {
    if (!ctx.headers.authorization) return anonymous(org);
    const who = authenticate(ctx, org, { allowPat: true, allowEntra: true, scopes: [] });
    if ('status' in who) return who;
  }
  return html(200, azureDevOpsPage(org), tenantHeaders(org));
}

const PROJECT = '([^/_][^/]*)';
const GROUPS = '_apis/distributedtask/variablegroups';
const devRoutes: Route[] = [
  route('GET', new RegExp(`^/${ORG}/_apis/projects/?$`, 'i'), projects),
  route('GET', new RegExp(`^/${ORG}/_apis/projects/([^/]+)/?$`, 'i'), oneProject),
  route('POST', new RegExp(`^/${ORG}/${GROUPS}/?$`, 'i'), groups.createGroup),
  route('PUT', new RegExp(`^/${ORG}/${GROUPS}/(\\d+)/?$`, 'i'), groups.replaceGroup),
  route('DELETE', new RegExp(`^/${ORG}/${GROUPS}/(\\d+)/?$`, 'i'), groups.deleteGroup),
  route('GET', new RegExp(`^/${ORG}/${PROJECT}/${GROUPS}/?$`, 'i'), groups.listGroups),
  route('GET', new RegExp(`^/${ORG}/${PROJECT}/${GROUPS}/(\\d+)/?$`, 'i'), groups.getGroup),
  route(['GET', 'HEAD'], new RegExp(`^/${ORG}(?:/.*)?$`), orgPage),
];

export async function handleAzureDevOps(ctx: RequestContext): Promise<SandboxResponse> {
  if (ctx.host === 'vssps.dev.azure.com') return handlePats(ctx);
  if (ctx.host === 'app.vssps.visualstudio.com') return handleProfile(ctx);
  // Legacy org URLs https://{org}.visualstudio.com/... are the same org (docs/contracts.md B.5).
  const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(ctx.host);
  if (legacy) ctx.path = `/${legacy[1]}${ctx.path === '/' ? '' : ctx.path}`;
  const res = await dispatch(devRoutes, ctx);
  return res ?? adoError(404, `The controller for path '${ctx.path}' was not found or does not implement IController.`, 'HttpException');
}
