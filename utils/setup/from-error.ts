import { describeError } from '../errors/describe-error';
import type { CheckResult } from './check-items';

/**
 * A failed check in `describeError`'s words (utils/errors/describe-error.ts), so the setup check
 * and the flows say the same thing about the same error. `fix` replaces the catalogue's fix where
 * the check knows better what to do.
 */
export function fromError(error: unknown, fix?: string): CheckResult {
  const message = describeError(error);
  return { status: 'fail', summary: message.title, fix: fix ?? message.fix, ...(message.details ? { details: message.details } : {}) };
}
