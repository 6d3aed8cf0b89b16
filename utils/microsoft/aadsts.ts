import { MicrosoftError } from '../errors/boundary-error';
import { redact } from '../errors/redact';

/** `AADSTS65001` from "AADSTS65001: The user or administrator hasn't consented…" */
export function aadstsCode(description: string | null | undefined): string | null {
  const match = /AADSTS(\d{4,7})/.exec(description ?? '');
  return match ? `AADSTS${match[1]}` : null;
}

/**
 * An error redirect (`?error=…&error_description=…`, query or fragment) as a MicrosoftError,
 * or null when the URL carries no error (docs/contracts.md C.1).
 */
export function errorFromResponseUrl(responseUrl: string): MicrosoftError | null {
  const url = new URL(responseUrl);
  const params = new URLSearchParams(url.hash.startsWith('#') ? url.hash.slice(1) : url.search);
  const error = params.get('error') ?? new URLSearchParams(url.search).get('error');
  if (!error) return null;
  const description = params.get('error_description') ?? new URLSearchParams(url.search).get('error_description') ?? '';
  return new MicrosoftError(aadstsCode(description) ?? error, `Microsoft sign-in failed: ${error}.`, {
    detail: redact(description.split(/\r?\n/)[0] ?? error),
  });
}
