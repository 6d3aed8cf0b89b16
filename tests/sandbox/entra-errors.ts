// Entra's two error surfaces (docs/contracts.md C.1, C.2): token-endpoint JSON with trace/correlation ids,
// and the HTML error page shown (with no redirect) when client_id or redirect_uri cannot be trusted.
import { escapeHtml, header, html, json, page, type RequestContext, type SandboxResponse } from './http.ts';
import { uuid } from './ids.ts';
import { now } from './state.ts';

/** Entra allows cross-origin calls to its token and metadata endpoints (SPAs call them with fetch). */
export const ENTRA_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'x-ms-request-id, client-request-id, x-ms-clitelem',
};

/** "2026-01-02 03:04:05Z", the timestamp format of Entra error bodies. */
const entraTimestamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

export interface EntraErrorInfo {
  status: number;
  error: string;
  code: number;
  text: string;
}

/** Token-endpoint error JSON, e.g. `{error:"invalid_grant", error_codes:[54005], ...}` (docs/contracts.md C.2). */
export function entraError(ctx: RequestContext, e: EntraErrorInfo): SandboxResponse {
  const traceId = uuid();
  const correlationId = header(ctx, 'client-request-id') ?? uuid();
  const timestamp = entraTimestamp(now(ctx.state));
  return json(
    e.status,
    {
      error: e.error,
      error_description: `AADSTS${e.code}: ${e.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [e.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
    },
    { ...ENTRA_CORS, 'x-ms-request-id': traceId },
  );
}

/** The "Sorry, but we're having trouble signing you in" page: no redirect, the flow dead-ends here. */
export function entraErrorPage(code: number, text: string): SandboxResponse {
  return html(
    400,
    page(
      'Sign in to your account',
      `<h1>Sign in</h1>
<p>Sorry, but we're having trouble signing you in.</p>
<p id="error-code">AADSTS${code}: ${escapeHtml(text)}</p>`,
    ),
  );
}

/** Common error texts, worded after reference-error-codes.md (docs/contracts.md C.2). */
export const E = {
  missingParam: (name: string): EntraErrorInfo => ({ status: 400, error: 'invalid_request', code: 900144, text: `The request body must contain the following parameter: '${name}'.` }),
  tenantNotFound: (tenant: string): EntraErrorInfo => ({ status: 400, error: 'invalid_tenant', code: 90002, text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.` }),
  appNotFound: (clientId: string, directory: string): EntraErrorInfo => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    text: `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  missingSecret: (): EntraErrorInfo => ({ status: 401, error: 'invalid_client', code: 7000218, text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." }),
  wrongSecret: (clientId: string): EntraErrorInfo => ({ status: 401, error: 'invalid_client', code: 7000215, text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.` }),
  secretWithOrigin: (): EntraErrorInfo => ({ status: 400, error: 'invalid_request', code: 90023, text: "Public clients can't send a client secret. Client credentials are not allowed in the presence of an Origin header." }),
  spaWithoutOrigin: (): EntraErrorInfo => ({ status: 400, error: 'invalid_request', code: 9002327, text: "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests." }),
  crossOriginNotSpa: (origin: string): EntraErrorInfo => ({ status: 400, error: 'invalid_request', code: 9002326, text: `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.` }),
};
