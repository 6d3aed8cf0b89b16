import { ExtensionError } from '../errors/boundary-error';
import type { ConnectRequest } from '../flow/connect-request';
import type { PolicyRules } from './policy';

/**
 * Refuse what the organization's policy forbids, in the background, whoever asked: the popup does
 * not offer it, but a page's one-click connect, a renewal or a popup opened before the policy
 * changed may still ask (utils/worker/flow-runner.ts, utils/worker/renewals.ts).
 * @throws ExtensionError `policy-method` or `policy-lifetime` (utils/errors/catalogue/extension.ts).
 */
export function assertAllowedByPolicy(request: Pick<ConnectRequest, 'method'> & { patLifetimeDays?: number }, rules: PolicyRules): void {
  if (!rules.allowedMethods.includes(request.method)) {
    throw new ExtensionError('policy-method', `The method ${request.method} is not allowed by policy; allowed: ${rules.allowedMethods.join(', ')}.`);
  }
  const max = rules.maxPatLifetimeDays;
  if (request.patLifetimeDays !== undefined && max !== null && request.patLifetimeDays > max) {
    throw new ExtensionError('policy-lifetime', `A lifetime of ${request.patLifetimeDays} days is longer than the policy's ${max} days.`);
  }
}
