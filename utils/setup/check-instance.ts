import { asBoundaryError } from '../errors/boundary-error';
import { instanceAnswers, instanceServerError, instanceUnreachable, notInfisical, statusNotOk } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';
import { fromError } from './from-error';
import type { SetupInfisical } from './setup-infisical';

/**
 * Check 2: the origin answers, and as Infisical (`GET /api/status` says "Ok"). Tells apart a host
 * that cannot be reached, one that redirects, a server error and a server that is not Infisical,
 * because each has a different fix.
 */
export async function checkInstance(infisical: Pick<SetupInfisical, 'status'>, origin: string): Promise<CheckResult> {
  try {
    const status = await infisical.status();
    if (status.message === 'Ok') return { status: 'pass', summary: instanceAnswers(origin) };
    return { status: 'fail', ...notInfisical(origin), details: statusNotOk(status.message) };
  } catch (error) {
    const e = asBoundaryError(error);
    const failed = fromError(error);
    if (!e || e.code === 'network' || e.code === 'timeout') return { ...failed, summary: instanceUnreachable(origin, failed.summary) };
    // It answered, but elsewhere: the catalogue's sentence names the address to enter instead.
    if (e.code === 'redirected') return failed;
    if (e.status !== undefined && e.status >= 500) return { ...failed, summary: instanceServerError(origin, e.status), details: failed.details ?? '' };
    return { status: 'fail', ...notInfisical(origin), details: failed.details ?? '' };
  }
}
