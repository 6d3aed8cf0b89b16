import type { UserMessage } from '../flow/flow-state';

/**
 * The sentence for an error thrown across the messaging boundary. The background attaches the
 * already-written `userMessage` (see `toUserFacing`), so extension pages do not carry the error
 * catalogue in their bundles.
 */
export function userMessageOf(error: unknown): UserMessage {
  const attached = (error as { userMessage?: Partial<UserMessage> } | null)?.userMessage;
  if (attached && typeof attached.title === 'string' && typeof attached.fix === 'string') {
    return {
      title: attached.title,
      fix: attached.fix,
      ...(typeof attached.details === 'string' ? { details: attached.details } : {}),
      ...(typeof attached.field === 'string' ? { field: attached.field } : {}),
    };
  }
  return {
    title: 'The extension could not do that.',
    fix: 'Try again. If it keeps happening, reload the extension from the browser’s extensions page.',
    details: error instanceof Error ? error.message : String(error),
  };
}
