/**
 * Stands in for `serialize-error` (aliased in wxt.config.ts), which @webext-core/messaging uses to
 * carry a thrown error across contexts. Our errors are plain: a name, a message and enumerable
 * fields (utils/errors/boundary-error.ts; `userMessage` from utils/errors/to-user-facing.ts), so
 * copying those is all that is needed; the library's constructor registry and depth limits are
 * not. Saves about 0.5 KB gzip in each context that messages (docs/performance.md).
 */
type Plain = Record<string, unknown>;

function toPlain(value: unknown, seen: Set<object>): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toPlain(v, seen));
  const out: Plain = {};
  if (value instanceof Error) {
    out.name = value.name;
    out.message = value.message;
    if (value.stack) out.stack = value.stack;
  }
  for (const [key, v] of Object.entries(value)) {
    const plain = toPlain(v, seen);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

/** A thrown value as plain data a message can carry. */
export function serializeError(error: unknown): unknown {
  return toPlain(error, new Set());
}

/** An `Error` again, with the fields it was sent with. */
export function deserializeError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (value === null || typeof value !== 'object') return new Error(String(value));
  const { message, name, stack, ...fields } = value as Plain;
  const error = new Error(typeof message === 'string' ? message : '');
  if (typeof name === 'string') error.name = name;
  if (typeof stack === 'string') error.stack = stack;
  return Object.assign(error, fields);
}
