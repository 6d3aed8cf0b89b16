// app.vssps.visualstudio.com: the signed-in user's profile and the orgs they belong to (docs/contracts.md B.3).
import { adoError } from './azure-devops-auth.ts';
import { homeUser } from './entra-issue.ts';
import { ADO_RESOURCE_ID } from './fixtures.ts';
import { dispatch, header, html, json, page, route, type RequestContext, type Route, type SandboxResponse } from './http.ts';
import { now, type EntraAccessToken } from './state.ts';

const vs30063 = (): SandboxResponse => adoError(401, 'VS30063: You are not authorized to access https://app.vssps.visualstudio.com.', 'UnauthorizedRequestException');

/** Only Entra user tokens for the Azure DevOps resource are accepted here. */
function bearer(ctx: RequestContext): EntraAccessToken | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '');
  const token = m ? ctx.state.accessTokens.find((t) => t.token === m[1]) : undefined;
  if (token?.kind !== 'user' || token.aud !== ADO_RESOURCE_ID || token.expiresAt <= now(ctx.state)) return null;
  return token;
}

function profile(ctx: RequestContext): SandboxResponse {
  const token = bearer(ctx);
  if (!token) return vs30063();
  const user = ctx.config.entra.users[token.oid];
  if (!user) return vs30063();
  return json(200, {
    displayName: user.name,
    publicAlias: user.profileId,
    // A guest's address is their home one, not the #EXT# name of their guest account.
    emailAddress: homeUser(ctx.config, user).upn,
    coreRevision: 472_193_012,
    timeStamp: '2025-06-01T10:20:30.1234567+00:00',
    id: user.profileId,
    revision: 472_193_012,
  });
}

function accounts(ctx: RequestContext): SandboxResponse {
  const token = bearer(ctx);
  if (!token) return vs30063();
  const user = ctx.config.entra.users[token.oid];
  const memberId = ctx.query.get('memberId') ?? ctx.query.get('ownerId');
  if (!memberId) return adoError(400, 'Either ownerId or memberId must be specified.', 'ArgumentException');
  // Only the caller's own memberships, and only orgs backed by the token's tenant.
  const mine = memberId === user?.profileId || memberId === token.oid;
  const orgs = mine ? Object.values(ctx.config.azureDevOps.orgs).filter((o) => o.tenantId === token.tid && o.members.includes(token.oid)) : [];
  const value = orgs.map((o) => ({
    accountId: o.accountId,
    accountUri: `https://vssps.dev.azure.com/${o.name}/`,
    accountName: o.name,
    properties: {},
  }));
  return json(200, { count: value.length, value });
}

const routes: Route[] = [
  route('GET', /^\/_apis\/profile\/profiles\/me\/?$/i, profile),
  route('GET', /^\/_apis\/accounts\/?$/i, accounts),
  route('GET', /^\/_signin\/?$/i, () => html(200, page('Azure DevOps', '<h1>Sign in to Azure DevOps</h1>'))),
];

export async function handleProfile(ctx: RequestContext): Promise<SandboxResponse> {
  return (await dispatch(routes, ctx)) ?? adoError(404, `The controller for path '${ctx.path}' was not found or does not implement IController.`, 'HttpException');
}
