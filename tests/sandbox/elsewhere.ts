// ELSEWHERE_HOST (fixtures.ts): an origin that is neither Infisical nor Azure DevOps, where the
// redirect faults point. It records everything it receives and answers like a server set up to
// collect what a client re-sends after a redirect: any CORS preflight allowed, any request 200.
import { header, json, type RequestContext, type SandboxResponse } from './http.ts';
import { isoNow } from './state.ts';

export function handleElsewhere(ctx: RequestContext): SandboxResponse {
  ctx.state.elsewhere.push({ at: isoNow(ctx.state), method: ctx.method, path: ctx.path, headers: { ...ctx.headers }, body: ctx.rawBody.toString('utf8') });
  const cors = {
    'access-control-allow-origin': header(ctx, 'origin') ?? '*',
    'access-control-allow-methods': 'GET,HEAD,POST,PUT,PATCH,DELETE',
    'access-control-allow-headers': header(ctx, 'access-control-request-headers') ?? '*',
    vary: 'Origin',
  };
  return ctx.method === 'OPTIONS' ? { status: 204, headers: cors } : json(200, {}, cors);
}
