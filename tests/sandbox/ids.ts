// Random identifiers in the formats the real services use.
import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function pick(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** Infisical request ids: `req-<14 alphanumerics>` (docs/contracts.md A.0). */
export const reqId = (): string => `req-${pick(ALNUM, 14)}`;

/** A PAT secret: 52 lower-case base32 characters (the classic Azure DevOps PAT format). */
export const patSecret = (): string => pick(BASE32, 52);

export const opaque = (length = 48): string => randomBytes(length).toString('base64url');
