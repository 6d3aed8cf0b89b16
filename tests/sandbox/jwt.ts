// JWT-shaped tokens. Entra tokens are "unsigned-looking" RS256 (random signature bytes: nothing in the
// extension may verify them); Infisical tokens are real HS256 so the fake can tell forged from expired.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function fakeRs256(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'sandbox' })}.${b64(claims)}.${randomBytes(64).toString('base64url')}`;
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Decoded payload, or null when the string is not a JWT. Never checks the signature. */
export function decodeJwt(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Payload when the HS256 signature is valid, else null. Expiry is the caller's business. */
export function verifyHs256(token: string, secret: string): Record<string, unknown> | null {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return null;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return decodeJwt(token);
}
