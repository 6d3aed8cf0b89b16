import type { z } from 'zod/mini';
import type { BoundaryError, BoundaryErrorOptions } from '../errors/boundary-error';
import { redact } from '../errors/redact';
import { useShortZodMessages } from '../zod-messages';

// The details of a malformed response quote zod's message: give zod/mini short English ones.
// Global; only contexts that load this module (the worker) pay for it. The offscreen document
// registers them itself; the popup and options page do without (their messages are all custom).
useShortZodMessages();

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Builds the boundary's own error type from a code, a message and options. */
export type ErrorFactory = (code: string, message: string, options?: BoundaryErrorOptions) => BoundaryError;

export const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Reads (GET, HEAD) are retried when the failure is likely to pass: the connection failed, or the
 * server answered 429/502/503/504. At most 3 attempts, 300 ms then 900 ms apart (or the server's
 * Retry-After when it asks for at most 5 s). Writes are never retried here: whether a lost write
 * happened is for the caller to find out (docs/reliability.md). Timeouts are not retried either: 20 s is
 * already as long as a person should wait.
 */
export const READ_RETRY = { attempts: 3, firstDelayMs: 300, factor: 3, maxRetryAfterMs: 5_000 } as const;
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** How long a server asked to wait, in ms, when it said so in a form we read (seconds). */
function retryAfterMs(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (!value || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim()) * 1000;
}

/**
 * fetch with a timeout, mapping transport failures to the boundary's error type; reads are
 * retried (READ_RETRY). Redirects are never followed: nearly every request carries a credential
 * (a bearer or Basic header, the Universal Auth client secret, a PAT in the body), and a 307/308
 * to another origin would make the browser re-send the body there. A redirect answer throws
 * `redirected` instead, unless the caller passed `redirect: 'manual'` to read that answer itself
 * (tenant discovery in utils/azure-devops/client.ts, which sends no credential).
 * @throws the boundary's error with code `network`, `timeout` or `redirected`.
 */
export async function send(fetchFn: FetchLike, url: string, init: RequestInit, makeError: ErrorFactory, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Response> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const read = ['GET', 'HEAD'].includes((init.method ?? 'GET').toUpperCase());
  for (let attempt = 1; ; attempt++) {
    const backoff = READ_RETRY.firstDelayMs * READ_RETRY.factor ** (attempt - 1);
    const last = !read || attempt >= READ_RETRY.attempts;
    let response: Response;
    try {
      response = await sendOnce(fetchFn, url, init, makeError, timeoutMs);
    } catch (error) {
      if (last || (error as { code?: string }).code !== 'network') throw error;
      await sleep(backoff);
      continue;
    }
    if (last || !RETRY_STATUSES.has(response.status)) return response;
    const asked = retryAfterMs(response);
    if (asked !== null && asked > READ_RETRY.maxRetryAfterMs) return response;
    await response.body?.cancel().catch(() => undefined);
    await sleep(asked ?? backoff);
  }
}

async function sendOnce(fetchFn: FetchLike, url: string, init: RequestInit, makeError: ErrorFactory, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const host = new URL(url).host;
  let response: Response;
  try {
    // Only the credential the caller chose (bearer, basic, identity token), never the browser's
    // cookies for these sites; and never to a redirect's target (see `send`).
    response = await fetchFn(url, { ...init, credentials: 'omit', redirect: 'manual', signal: controller.signal });
  } catch (cause) {
    if (controller.signal.aborted) {
      throw makeError('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause });
    }
    throw makeError('network', `Could not reach ${host}.`, { detail: String(cause), cause });
  } finally {
    clearTimeout(timer);
  }
  // Browsers hide a manual redirect behind an `opaqueredirect` response with status 0; Node's
  // fetch (the unit tests) returns the 3xx itself.
  if (init.redirect !== 'manual' && (response.type === 'opaqueredirect' || (response.status > 299 && response.status < 400))) {
    throw makeError('redirected', `${host} answered with a redirect.`, { status: response.status });
  }
  return response;
}

/** The body as text, never failing, trimmed to what is useful in an error's details. */
export async function bodyText(response: Response): Promise<string> {
  try {
    return redact((await response.text()).slice(0, 2000));
  } catch {
    return '';
  }
}

/**
 * Parse a JSON body with a schema.
 * @throws the boundary's error with code `malformed-response` when the body is not JSON or not
 * the documented shape.
 */
export async function parseJson<S extends z.ZodMiniType>(response: Response, schema: S, makeError: ErrorFactory): Promise<z.infer<S>> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw makeError('malformed-response', `${new URL(response.url || 'https://unknown').host || 'The server'} sent a response that is not JSON.`, {
      status: response.status,
      detail: redact(text.slice(0, 500)),
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw makeError('malformed-response', 'The server sent a response in an unexpected shape.', {
      status: response.status,
      detail: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : undefined,
    });
  }
  return parsed.data;
}
