import type { z } from 'zod/mini';
import { ExtensionError } from './errors/boundary-error';
import { firstIssue } from './inputs';

/**
 * A message's input, checked against its schema. A refusal is the schema's own sentence for the
 * first field it names (utils/inputs.ts writes them to be shown under the field), never zod's raw
 * output: pages show it there (UserMessage.field).
 * @throws ExtensionError `invalid-input` with `field` set to the first path segment.
 */
export function parseInput<S extends z.ZodMiniType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  throw new ExtensionError('invalid-input', firstIssue(parsed.error), {
    ...(field !== undefined ? { field: String(field) } : {}),
    ...(issue ? { detail: `${issue.path.join('.') || '(input)'}: ${issue.code}` } : {}),
  });
}
