import { HOST_NO_ADDRESS, HOST_NOT_AN_ADDRESS, hostGranted, hostNotGranted } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';

/**
 * Check 1: an Infisical address is saved and the browser lets the extension contact it (the host
 * permission is optional and asked for on save, entrypoints/options/App.tsx). `origin` is the saved
 * address's origin, null when there is none or it is not a web address.
 */
export async function checkHostPermission(deps: { hasHostPermission: (origin: string) => Promise<boolean> }, saved: string | null, origin: string | null): Promise<CheckResult> {
  if (!origin) return { status: 'fail', ...(saved ? HOST_NOT_AN_ADDRESS : HOST_NO_ADDRESS) };
  // A permissions API that throws grants nothing.
  const granted = await deps.hasHostPermission(origin).catch(() => false);
  return granted ? { status: 'pass', summary: hostGranted(origin) } : { status: 'fail', ...hostNotGranted(origin) };
}
