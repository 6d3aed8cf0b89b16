import { InfisicalError } from '../errors/boundary-error';
import { redact } from '../errors/redact';
import { errorBodySchema } from './schemas';

/** Turn a non-2xx Infisical response into an InfisicalError carrying the server's own words. */
export async function infisicalErrorFrom(response: Response): Promise<InfisicalError> {
  const text = await response.text().catch(() => '');
  let body: ReturnType<typeof errorBodySchema.parse> | null = null;
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    body = parsed.success ? parsed.data : null;
  } catch {
    body = null;
  }
  const code = body?.error ?? `http-${response.status}`;
  const message = Array.isArray(body?.message) ? body.message.map(issueText).join('; ') : (body?.message ?? `HTTP ${response.status}`);
  const retryAfter = response.headers.get('retry-after');
  const detail = redact([message, hasContent(body?.details) ? JSON.stringify(body?.details) : '', retryAfter ? `Retry-After: ${retryAfter}` : ''].filter(Boolean).join(' — '));
  return new InfisicalError(code, redact(message), { status: response.status, detail });
}

/** A 403 may carry `details: []` (docs/contracts.md A.6): nothing worth showing, like an empty object or null. */
function hasContent(details: unknown): boolean {
  if (details === null || details === undefined || details === '') return false;
  if (Array.isArray(details)) return details.length > 0;
  return typeof details !== 'object' || Object.keys(details).length > 0;
}

function issueText(issue: unknown): string {
  if (typeof issue !== 'object' || issue === null) return String(issue);
  const { path, message } = issue as { path?: unknown; message?: unknown };
  const where = Array.isArray(path) && path.length > 0 ? `${path.join('.')}: ` : '';
  return `${where}${String(message ?? 'invalid')}`;
}

export const makeInfisicalError = (...args: ConstructorParameters<typeof InfisicalError>) => new InfisicalError(...args);
