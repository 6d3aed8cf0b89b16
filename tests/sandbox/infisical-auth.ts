// Machine-identity auth of the fake Infisical (docs/contracts.md A.1, A.2): Universal Auth login with
// lockout, token renew/revoke, and the Bearer check run before every authenticated route.
import { z } from 'zod';
import type { IdentityConfig } from './config.ts';
import { bodyJson, header, json, type RequestContext, type SandboxResponse } from './http.ts';
import { badRequest, infError, tokenError, unauthorized, validationFailure } from './infisical-errors.ts';
import { uuid } from './ids.ts';
import { decodeJwt, signHs256, verifyHs256 } from './jwt.ts';
import { now, type InfisicalTokenRecord } from './state.ts';

const LoginBody = z.object({ clientId: z.string().trim(), clientSecret: z.string().trim() });
const TokenBody = z.object({ accessToken: z.string().trim() });

function sign(ctx: RequestContext, rec: InfisicalTokenRecord, identity: IdentityConfig): string {
  const iat = Math.floor(now(ctx.state) / 1000);
  return signHs256(
    {
      identityId: identity.identityId,
      clientSecretId: identity.clientSecretId,
      identityAccessTokenId: rec.id,
      authTokenType: 'identityAccessToken',
      iat,
      // No exp claim when the TTL is 0 (docs/contracts.md A.1).
      ...(rec.ttl > 0 ? { exp: Math.floor(rec.lastRenewedAt / 1000) + rec.ttl } : {}),
    },
    ctx.config.infisical.jwtSecret,
  );
}

const tokenResponse = (token: string, rec: InfisicalTokenRecord) => json(200, { accessToken: token, expiresIn: rec.ttl, accessTokenMaxTTL: rec.maxTTL, tokenType: 'Bearer' });

export function login(ctx: RequestContext): SandboxResponse {
  const parsed = LoginBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const { clientId, clientSecret } = parsed.data;
  const at = now(ctx.state);
  const logged = { at: new Date(at).toISOString(), host: ctx.host, clientId, clientSecret, ok: false };
  ctx.state.uaLogins.push(logged);
  const lock = ctx.config.infisical.lockout;
  ctx.state.uaFailures[clientId] ??= { failures: [], lockedUntil: 0 };
  const track = ctx.state.uaFailures[clientId];
  if (lock.enabled && track.lockedUntil > at) return unauthorized('This identity auth method is temporarily locked, please try again later');
  const identity = ctx.config.infisical.identity.clientId === clientId ? ctx.config.infisical.identity : undefined;
  if (!identity || identity.clientSecret !== clientSecret) {
    track.failures = [...track.failures.filter((t) => at - t < lock.counterResetSec * 1000), at];
    if (lock.enabled && identity && track.failures.length >= lock.threshold) track.lockedUntil = at + lock.durationSec * 1000;
    return unauthorized('Invalid credentials');
  }
  track.failures = [];
  logged.ok = true;
  const rec: InfisicalTokenRecord = {
    id: uuid(),
    identityId: identity.identityId,
    clientId,
    createdAt: at,
    lastRenewedAt: at,
    ttl: identity.accessTokenTTL,
    maxTTL: identity.accessTokenMaxTTL,
    revoked: false,
  };
  ctx.state.infisicalTokens.push(rec);
  return tokenResponse(sign(ctx, rec, identity), rec);
}

type Verified = { rec: InfisicalTokenRecord; identity: IdentityConfig };

/** Signature, expiry, record and identity checks shared by Bearer auth, renew and revoke. */
function verify(ctx: RequestContext, token: string, renewing: boolean): Verified | SandboxResponse {
  const claims = verifyHs256(token, ctx.config.infisical.jwtSecret);
  if (!claims) return tokenError('The provided access token is malformed. Please re-authenticate.');
  if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 <= now(ctx.state)) return tokenError('Your token has expired. Please re-authenticate.');
  if (claims['authTokenType'] !== 'identityAccessToken') {
    return renewing ? badRequest('Only identity access tokens can be renewed') : unauthorized('No identity access token found');
  }
  const rec = ctx.state.infisicalTokens.find((r) => r.id === claims['identityAccessTokenId']);
  const identity = ctx.config.infisical.identity.identityId === claims['identityId'] ? ctx.config.infisical.identity : undefined;
  if (!rec || rec.revoked || !identity) return unauthorized('No identity access token found');
  return { rec, identity };
}

export function renew(ctx: RequestContext): SandboxResponse {
  const parsed = TokenBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const v = verify(ctx, parsed.data.accessToken, true);
  if ('status' in v) return v;
  const at = now(ctx.state);
  const { rec } = v;
  if (rec.ttl > 0 && at > rec.lastRenewedAt + rec.ttl * 1000) return unauthorized('Failed to renew MI access token due to TTL expiration');
  if (rec.maxTTL > 0) {
    if (at > rec.createdAt + rec.maxTTL * 1000) return unauthorized('Failed to renew MI access token due to Max TTL expiration');
    if (at + rec.ttl * 1000 > rec.createdAt + rec.maxTTL * 1000) return unauthorized('Failed to renew MI access token past its Max TTL expiration');
  }
  rec.lastRenewedAt = at;
  return tokenResponse(sign(ctx, rec, v.identity), rec);
}

export function revoke(ctx: RequestContext): SandboxResponse {
  const parsed = TokenBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const v = verify(ctx, parsed.data.accessToken, false);
  if ('status' in v) return v;
  v.rec.revoked = true;
  return json(200, { message: 'Successfully revoked access token' });
}

/** Bearer check of every authenticated route; the server takes `header.slice(7)` (docs/contracts.md A.2). */
export function requireIdentity(ctx: RequestContext): IdentityConfig | SandboxResponse {
  const auth = header(ctx, 'authorization');
  if (!auth) return unauthorized('Token missing');
  const token = auth.slice(7);
  if (!decodeJwt(token)) return tokenError('The provided access token is malformed. Please re-authenticate.');
  const v = verify(ctx, token, false);
  if ('status' in v) return v;
  const at = now(ctx.state);
  if (v.rec.maxTTL > 0 && at > v.rec.createdAt + v.rec.maxTTL * 1000) return unauthorized('Failed to renew MI access token due to Max TTL expiration');
  if (v.identity.orgId !== ctx.config.infisical.orgId) return badRequest('Identity does not belong to this organization');
  return v.identity;
}

/** Machine-identity tokens are refused by JWT-only routes with this 403 (docs/contracts.md A.2, A.3). */
export const forbiddenForIdentity = (ctx: RequestContext): SandboxResponse => infError(403, `Forbidden access to ${ctx.path}`, 'You are not allowed to access this resource');
