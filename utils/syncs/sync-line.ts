import type { UserMessage } from '../flow/flow-state';
import type { SyncStatus } from '../infisical/sync-schemas';

/**
 * One secret sync as the page's panel, the popup and the connections view show it (types only,
 * so the pages bundle nothing for them). Built by utils/worker/syncs.ts from the extension's record
 * of the sync and Infisical's last answer about it (docs/contracts.md A.9). No secret in it.
 */
export interface SyncLine {
  syncId: string;
  org: string;
  adoProjectName: string;
  infisicalProjectName: string;
  environmentName: string;
  secretPath: string;
  /** The variable group it writes, named after the environment (A.9). */
  groupName: string;
  connectionId: string;
  connectionName: string;
  /** null: not read yet, or a state this build does not know. */
  status: SyncStatus | null;
  lastSyncedAt: string | null;
  /** A failed run, in words with the fix (utils/errors/catalogue/secret-sync.ts `syncFailure`). */
  failure: UserMessage | null;
  /** The sync in Infisical's web app. */
  url: string;
  /** The sync could not be read this time (it is shown from the record), and why. */
  readError: UserMessage | null;
}

/** Whether a run is still going: the page and the views ask again until it is not. */
export const syncRunning = (line: Pick<SyncLine, 'status'>) => line.status === 'pending' || line.status === 'running';
