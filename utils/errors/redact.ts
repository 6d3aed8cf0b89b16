/**
 * Last line of defence for anything shown or logged: removes token-shaped strings.
 * JWTs (Entra and Infisical tokens), Azure DevOps PATs (52 base32 characters, or 84 for the newer
 * format) and bearer/basic credentials in header-like text.
 */
const PATTERNS: RegExp[] = [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, /\b[a-z2-7]{52}\b/g, /\b[A-Za-z0-9]{84}\b/g];

export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, '[redacted]');
  return out;
}
