// Fake Infisical on host infisical.sandbox.test (docs/contracts.md A.0-A.12): health, Universal Auth,
// projects, app-connection options, the Azure DevOps connection and secret-sync routes, plus HTML
// pages for screenshots and the extension's links (connections, a sync).
import { dispatch, escapeHtml, header, html, json, page, route, type RequestContext, type Route, type SandboxResponse } from './http.ts';
import { login, renew, requireIdentity, revoke } from './infisical-auth.ts';
import * as conn from './infisical-connections.ts';
import { infError } from './infisical-errors.ts';
import { getProject, listProjects } from './infisical-projects.ts';
import * as syncs from './infisical-syncs.ts';
import { isoNow } from './state.ts';

const SITE_URL = 'https://infisical.sandbox.test';
const ADO = '/api/v1/app-connections/azure-devops';
const SYNCS = '/api/v1/secret-syncs/azure-devops';

const status = (): SandboxResponse =>
  json(200, {
    date: new Date().toISOString(),
    message: 'Ok',
    emailConfigured: false,
    inviteOnlySignup: false,
    redisConfigured: true,
    secretScanningConfigured: false,
    samlDefaultOrgSlug: null,
    auditLogStorageDisabled: false,
  });

/** `GET /api/v1/app-connections/options` (docs/contracts.md A.4); oauthClientId only when configured. */
function options(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const { oauthClientId, methods } = ctx.config.infisical;
  return json(200, {
    appConnectionOptions: [
      { name: 'AWS', app: 'aws', methods: ['assume-role', 'access-key'], accessKeyId: '' },
      { name: 'Azure DevOps', app: 'azure-devops', methods, ...(oauthClientId ? { oauthClientId } : {}) },
      { name: 'GitHub', app: 'github', methods: ['github-app', 'oauth'], appClientSlug: 'infisical-sandbox', oauthClientId: 'Iv1.sandbox' },
    ],
  });
}

function allConnections(ctx: RequestContext): SandboxResponse {
  return conn.list(ctx);
}

/** A plain listing so a screenshot at the end of an e2e run shows what was created. */
function connectionsPage(ctx: RequestContext): SandboxResponse {
  const rows = ctx.state.connections
    .map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.method)}</td><td>${escapeHtml(c.credentials['orgName'] ?? '')}</td><td><code>${c.id}</code></td></tr>`)
    .join('');
  return html(
    200,
    page(
      'App Connections - Infisical (sandbox)',
      `<h1>App Connections</h1>
<table id="connections"><thead><tr><th>Name</th><th>Method</th><th>Organization</th><th>ID</th></tr></thead><tbody>${rows}</tbody></table>
${ctx.state.connections.length ? '' : '<p id="empty">No app connections yet.</p>'}`,
    ),
  );
}

/** Infisical's OAuth callback page. It only records the visit: it never redeems the code. */
function oauthCallback(ctx: RequestContext): SandboxResponse {
  ctx.state.callbackLoads.push({ at: isoNow(ctx.state), query: Object.fromEntries(ctx.query) });
  return html(200, page('Azure DevOps - Infisical (sandbox)', '<h1>Connecting Azure DevOps</h1><p id="callback">Callback received.</p>'));
}

/** CORS allows only SITE_URL by default (docs/contracts.md A.0); extension pages rely on host permissions. */
function cors(ctx: RequestContext): Record<string, string> {
  return header(ctx, 'origin') === SITE_URL ? { 'access-control-allow-origin': SITE_URL, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {};
}

const UUIDISH = '([^/]+)';
const routes: Route[] = [
  route('OPTIONS', /.*/, (ctx) => ({
    status: 204,
    headers: { ...cors(ctx), 'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE', 'access-control-allow-headers': header(ctx, 'access-control-request-headers') ?? '' },
  })),
  route('GET', /^\/api\/status$/, status),
  route('POST', /^\/api\/v1\/auth\/universal-auth\/login$/, login),
  route('POST', /^\/api\/v1\/auth\/token\/renew$/, renew),
  route('POST', /^\/api\/v1\/auth\/token\/revoke$/, revoke),
  route('GET', /^\/api\/v1\/projects$/, listProjects),
  route('GET', /^\/api\/v1\/projects\/([^/]+)$/, getProject),
  route('GET', /^\/api\/v1\/app-connections\/options$/, options),
  route('GET', /^\/api\/v1\/app-connections$/, allConnections),
  route('GET', new RegExp(`^${ADO}$`), conn.list),
  route('POST', new RegExp(`^${ADO}$`), conn.create),
  route('GET', new RegExp(`^${ADO}/available$`), conn.available),
  route('GET', new RegExp(`^${ADO}/connection-name/${UUIDISH}$`), conn.getByName),
  route('GET', new RegExp(`^${ADO}/${UUIDISH}/projects$`), conn.projects),
  route('GET', new RegExp(`^${ADO}/${UUIDISH}$`), conn.getById),
  route('PATCH', new RegExp(`^${ADO}/${UUIDISH}$`), conn.update),
  route('DELETE', new RegExp(`^${ADO}/${UUIDISH}$`), conn.remove),
  route('GET', new RegExp(`^${SYNCS}$`), syncs.listSyncs),
  route('POST', new RegExp(`^${SYNCS}$`), syncs.createSync),
  route('GET', new RegExp(`^${SYNCS}/sync-name/${UUIDISH}$`), syncs.getSyncByName),
  route('POST', new RegExp(`^${SYNCS}/${UUIDISH}/sync-secrets$`), syncs.syncNow),
  route('POST', new RegExp(`^${SYNCS}/${UUIDISH}/remove-secrets$`), syncs.removeNow),
  route('GET', new RegExp(`^${SYNCS}/${UUIDISH}$`), syncs.getSync),
  route('PATCH', new RegExp(`^${SYNCS}/${UUIDISH}$`), syncs.updateSync),
  route('DELETE', new RegExp(`^${SYNCS}/${UUIDISH}$`), syncs.deleteSync),
  // The sync's page under the two newest frontend paths (docs/contracts.md A.9 "Link"); the organization segment is optional.
  route('GET', /^(?:\/organizations\/[^/]+)?\/projects\/secret-management\/([^/]+)\/integrations\/secret-syncs\/azure-devops\/([^/]+)$/, syncs.syncPage),
  route('GET', /^\/organization\/app-connections$/, connectionsPage),
  route('GET', /^\/organizations\/[^/]+\/app-connections$/, connectionsPage),
  route('GET', /^\/organization\/app-connections\/azure\/oauth\/callback$/, oauthCallback),
];

export async function handleInfisical(ctx: RequestContext): Promise<SandboxResponse> {
  // Fastify runs with ignoreTrailingSlash (docs/contracts.md A.0).
  if (ctx.path.length > 1 && ctx.path.endsWith('/')) ctx.path = ctx.path.replace(/\/+$/, '');
  const res = (await dispatch(routes, ctx)) ?? infError(404, 'NotFound', `Route ${ctx.method}:${ctx.path} not found`);
  return { ...res, headers: { ...res.headers, ...cors(ctx) } };
}
