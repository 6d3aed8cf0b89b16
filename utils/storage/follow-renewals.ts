import type { RenewalsState } from '../connections/view-model';
import { KEYS } from './keys';
import { followSession } from './view';

/**
 * A Renew all's progress as stored, checked lightly: no schema (the pages must not bundle one), and
 * only its outline here; the options page checks each row before it shows it
 * (entrypoints/options/ConnectionsSection.tsx). Null when there is none. Apart from view.ts, whose
 * code the popup's budgeted bundle shares with the options page: only the options page follows it.
 */
function parseRenewals(value: unknown): RenewalsState | null {
  const state = value as RenewalsState | null;
  return typeof state?.runId === 'string' && Array.isArray(state.rows) ? state : null;
}

/** The last Renew all of this browser session (`session:renewals`) as it is now, then at every write by the background. */
export const followRenewals = (onChange: (renewals: RenewalsState | null) => void) => followSession(KEYS.renewals, parseRenewals, onChange);
