import { describeError } from './describe-error';

/**
 * An error to throw back to an extension page: its message is the sentence, and `userMessage`
 * (title, fix, details) survives serialisation for `userMessageOf` on the other side.
 */
export function toUserFacing(error: unknown): Error {
  const userMessage = describeError(error);
  return Object.assign(new Error(userMessage.title), { userMessage });
}
