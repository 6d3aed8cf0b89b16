import type { UserMessage } from '../flow/flow-state';
import type { ConnectionMethod } from '../infisical/schemas';
import type { ConnectionStatus } from './status';

/**
 * What the connections view (options page, popup list) is shown by the background: types only, so
 * the pages bundle nothing for them. Built by utils/worker/inventory.ts from Infisical's list of
 * Azure DevOps connections, the extension's records and, when a silent Microsoft token is held,
 * Azure DevOps' PAT Lifecycle API.
 */
export interface ConnectionRow {
  /** Infisical's id of the connection; for a row that is gone from Infisical, the id its record kept. */
  id: string;
  name: string;
  org: string;
  method: ConnectionMethod;
  /** The Infisical project of a project-scoped connection; null: the organization's. */
  projectId: string | null;
  /** That project's name, as Infisical's projects list last said (null: the organization's, or not known). */
  projectName: string | null;
  /** When Infisical last changed it (its list says); null for a gone row or when not known. */
  updatedAt: string | null;
  /** Expiry of the PAT this extension minted for it (Azure DevOps' own value when read); null when unknown. */
  patValidTo: string | null;
  status: ConnectionStatus;
  /** This extension made it (it keeps a record naming its PAT). */
  madeHere: boolean;
  /**
   * What the row offers for its credential: `renew` (a PAT minted here: new PAT, PATCH, revoke the
   * old one), `replace` (an access-token connection made elsewhere: a least-privilege PAT replaces
   * a token the extension does not know), or null with `renewNote` saying why not.
   */
  renew: 'renew' | 'replace' | null;
  renewNote: string | null;
  /** A gone row: its record's PAT can be revoked and the record forgotten. */
  canForget: boolean;
  /** Where the connection is seen in Infisical. */
  url: string;
}

export interface ConnectionsView {
  /** The configured instance; null: not configured (the view points to the settings). */
  instanceUrl: string | null;
  /** Most urgent first (utils/connections/status.ts `urgency`), then by name. */
  rows: ConnectionRow[];
  /** Infisical's list could not be read: the rows are the records alone, and this says why. */
  listError: UserMessage | null;
  /** Whether PAT states came from Azure DevOps for every managed row (else from the records, for some or all). */
  patStatesRead: boolean;
  /** The warning window, in days (0: off). */
  windowDays: number;
  /** How many rows need attention (the badge's number). */
  attention: number;
  checkedAt: string;
}

/** How one renewal (or replacement, or removal) ended, as the view shows it on its row. */
export type RowOutcome =
  | { id: string; name: string; ok: true; patValidTo: string | null; expiryClamped: boolean; note: string | null }
  | { id: string; name: string; ok: false; error: UserMessage };

/** Where one row of a Renew all stands; written to `session:renewals` while it runs. */
export type RenewalProgress = { id: string; name: string; org: string; state: 'waiting' | 'signing-in' | 'renewing' } | ({ state: 'done' } & RowOutcome);

export interface RenewalsState {
  runId: string;
  startedAt: string;
  endedAt: string | null;
  rows: RenewalProgress[];
}
