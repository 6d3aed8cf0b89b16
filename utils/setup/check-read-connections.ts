import { asBoundaryError } from '../errors/boundary-error';
import { READ_DENIED_FIX, READ_EDIT_NOTE, readCount } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';
import { fromError } from './from-error';
import type { SetupInfisical } from './setup-infisical';

/**
 * Check 4: the identity may read app connections. Counting them is the probe, because a lookup by
 * name answers 404 before Infisical checks the permission (utils/infisical/app-connections.ts
 * `count`). Every answer also names the create and edit permissions, which only
 * connecting can test.
 */
export async function checkReadConnections(infisical: Pick<SetupInfisical, 'countConnections'>, token: string): Promise<CheckResult> {
  try {
    return { status: 'pass', summary: readCount(await infisical.countConnections(token)) };
  } catch (error) {
    const e = asBoundaryError(error);
    const failed = fromError(error);
    // A CASL denial: the catalogue's sentence names the permission; the fix names where to grant it.
    if (e?.source === 'infisical' && e.status === 403 && e.code === 'PermissionDenied') return { ...failed, fix: READ_DENIED_FIX };
    return { ...failed, fix: `${failed.fix ?? ''} ${READ_EDIT_NOTE}`.trim() };
  }
}
