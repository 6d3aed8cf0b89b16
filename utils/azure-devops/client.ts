import { AzureDevOpsError } from '../errors/boundary-error';
import { redact } from '../errors/redact';
import { send, parseJson, type FetchLike } from '../http/request';
import { MSA_TENANT_ID, type Endpoints } from '../config/endpoints';
import type { z } from 'zod/mini';
import { accountsSchema, adoErrorBodySchema, pagedPatsSchema, patTokenResultSchema, profileSchema, projectsResponseSchema, type MintedPat } from './schemas';

const makeError = (...args: ConstructorParameters<typeof AzureDevOpsError>) => new AzureDevOpsError(...args);
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PATS_API_VERSION = '7.1-preview.1';

export interface ListedPat {
  authorizationId: string;
  displayName: string;
  validFrom: string | null;
  validTo: string | null;
}

export type AdoAuth = { bearer: string } | { pat: string };

function authHeader(auth: AdoAuth): string {
  // PATs go as Basic with an empty user name (B.3).
  return 'bearer' in auth ? `Bearer ${auth.bearer}` : `Basic ${btoa(`:${auth.pat}`)}`;
}

async function adoError(response: Response, org: string): Promise<AzureDevOpsError> {
  const text = await response.text().catch(() => '');
  let message = '';
  try {
    const parsed = adoErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) message = parsed.data.message;
  } catch {
    // HTML sign-in pages and empty bodies carry no message.
  }
  const status = response.status;
  const code = status === 401 || status === 203 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : `http-${status}`;
  return new AzureDevOpsError(code, `Azure DevOps answered ${status} for organization '${org}'.`, {
    status,
    detail: redact(message || `HTTP ${status}`),
  });
}

/**
 * Azure DevOps REST as used by this extension: tenant discovery, projects, PAT lifecycle.
 * Every method throws `AzureDevOpsError`.
 */
export function createAzureDevOpsClient(options: { endpoints: Endpoints; fetch: FetchLike }) {
  const { endpoints, fetch: fetchFn } = options;
  const org$ = (org: string) => encodeURIComponent(org);
  const patsUrl = (org: string, query: string) => `${endpoints.azureDevOpsVssps}/${org$(org)}/_apis/tokens/pats?${query}api-version=${PATS_API_VERSION}`;

  /** An authenticated GET answered 200 with this schema; `who` names the org (or profile) in errors. */
  async function getJson<S extends z.ZodMiniType>(url: string, auth: AdoAuth, schema: S, who: string): Promise<z.infer<S>> {
    const response = await send(fetchFn, url, { headers: { Authorization: authHeader(auth), Accept: 'application/json' } }, makeError);
    if (response.status !== 200) throw await adoError(response, who);
    return parseJson(response, schema, makeError);
  }

  return {
    /**
     * The org's Entra tenant from an unauthenticated request (B.4): `X-VSS-ResourceTenant`, else
     * the `authorization_uri` of `WWW-Authenticate`. `msa` is true for Microsoft-account orgs.
     */
    async discoverTenant(org: string): Promise<{ tenantId: string; msa: boolean }> {
      // No credential goes with it, and only this answer's headers count (a sign-in page a
      // redirect leads to has none): the redirect answer itself comes back (utils/http/request.ts).
      const response = await send(fetchFn, `${endpoints.azureDevOps}/${org$(org)}/_apis/connectionData`, { method: 'GET', redirect: 'manual' }, makeError);
      if (response.status === 404) {
        // About the org field: the popup shows it there, before anything else (entrypoints/popup/use-discovery.ts).
        throw new AzureDevOpsError('org-not-found', `There is no Azure DevOps organization named '${org}'.`, { status: 404, field: 'org' });
      }
      const candidates = [...(response.headers.get('x-vss-resourcetenant') ?? '').matchAll(GUID), ...(response.headers.get('www-authenticate') ?? '').matchAll(GUID)].map((m) =>
        m[0].toLowerCase(),
      );
      const tenantId = candidates.find((id) => id !== MSA_TENANT_ID) ?? candidates[0];
      if (!tenantId) {
        throw new AzureDevOpsError('tenant-unknown', `Azure DevOps did not say which tenant '${org}' belongs to.`, {
          status: response.status,
        });
      }
      return { tenantId, msa: tenantId === MSA_TENANT_ID };
    },

    /** First page of the org's projects: proves the credential can reach the org (B.3). */
    async listProjects(org: string, auth: AdoAuth, top = 1) {
      return getJson(`${endpoints.azureDevOps}/${org$(org)}/_apis/projects?api-version=7.1&$top=${top}`, auth, projectsResponseSchema, org);
    },

    /**
     * Mint an org-scoped PAT (B.1). Policy refusals arrive as 200 with `patTokenError`.
     * @throws AzureDevOpsError with the `patTokenError` value as code.
     */
    async createPat(org: string, bearer: string, request: { displayName: string; scope: string; validTo: string }): Promise<MintedPat> {
      const response = await send(
        fetchFn,
        patsUrl(org, ''),
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', Accept: 'application/json' },
          // Global PATs are retired; always org-scoped (B.1 deprecation timeline).
          body: JSON.stringify({ ...request, allOrgs: false }),
        },
        makeError,
      );
      if (response.status !== 200) throw await adoError(response, org);
      const result = await parseJson(response, patTokenResultSchema, makeError);
      if (result.patTokenError !== 'none') {
        throw new AzureDevOpsError(result.patTokenError, `Azure DevOps refused to create the token: ${result.patTokenError}.`, {
          status: 200,
          detail: redact(result.patTokenErrorMessage ?? result.patTokenError),
        });
      }
      const pat = result.patToken;
      if (!pat?.token || !pat.authorizationId || !pat.validTo) {
        throw new AzureDevOpsError('malformed-response', 'Azure DevOps created a token but did not return it.', { status: 200 });
      }
      return { authorizationId: pat.authorizationId, token: pat.token, scope: pat.scope ?? request.scope, validTo: pat.validTo };
    },

    /**
     * The organisations the signed-in user belongs to: profile id, then accounts by member (B.3).
     * @throws AzureDevOpsError.
     */
    async listOrganizations(bearer: string): Promise<string[]> {
      const get = <S extends z.ZodMiniType>(url: string, schema: S) => getJson(url, { bearer }, schema, 'your profile');
      const profile = await get(`${endpoints.azureDevOpsProfile}/_apis/profile/profiles/me?api-version=7.1`, profileSchema);
      const accounts = await get(`${endpoints.azureDevOpsProfile}/_apis/accounts?memberId=${encodeURIComponent(profile.id)}&api-version=7.1`, accountsSchema);
      return accounts.value.map((a) => a.accountName).sort((a, b) => a.localeCompare(b));
    },

    /**
     * The user's active PATs in this org (B.1 list; paged, at most 10 pages of 100), without secrets.
     * @throws AzureDevOpsError.
     */
    async listPats(org: string, bearer: string): Promise<ListedPat[]> {
      const found: ListedPat[] = [];
      let continuation = '';
      for (let page = 0; page < 10; page++) {
        const query = `displayFilterOption=active&$top=100&${continuation ? `continuationToken=${encodeURIComponent(continuation)}&` : ''}`;
        const body = await getJson(patsUrl(org, query), { bearer }, pagedPatsSchema, org);
        for (const p of body.patTokens) {
          if (p.authorizationId && p.displayName !== null) {
            found.push({ authorizationId: p.authorizationId, displayName: p.displayName, validFrom: p.validFrom ?? null, validTo: p.validTo });
          }
        }
        continuation = body.continuationToken ?? '';
        if (!continuation) break;
      }
      return found;
    },

    /** Revoke a PAT by authorization id; a PAT that is already gone counts as revoked. */
    async revokePat(org: string, bearer: string, authorizationId: string): Promise<void> {
      const response = await send(
        fetchFn,
        patsUrl(org, `authorizationId=${encodeURIComponent(authorizationId)}&`),
        { method: 'DELETE', headers: { Authorization: `Bearer ${bearer}` } },
        makeError,
      );
      if (response.status === 200 || response.status === 204 || response.status === 404) return;
      throw await adoError(response, org);
    },
  };
}

export type AzureDevOpsClient = ReturnType<typeof createAzureDevOpsClient>;
