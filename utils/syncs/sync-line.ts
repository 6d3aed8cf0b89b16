import type { UserMessage } from '../flow/flow-state';
import type { FlowState } from '../flow/flow-state';
import type { InfisicalProjectSummary, SyncPreview } from '../flow/sync-to-project';
import type { SyncStatus } from '../infisical/sync-schemas';
import type { SyncChoice } from '../storage/sync-records';
import type { PlanLine } from './plan-text';

export type { SyncChoice };

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

/** What the panel offers on an Azure DevOps project page. */
export interface SyncPanelOptions {
  projects: InfisicalProjectSummary[];
  /** What was picked here last time (utils/storage/syncs.ts), when it still names a listed project. */
  choice: SyncChoice | null;
  /** The syncs this extension made into this project, with their state read now. */
  syncs: SyncLine[];
  /** The org's connection the sync will use, and whether it exists yet (else it is made first). */
  connection: { name: string; exists: boolean };
}

/** What the person saw in the plan and confirmed: the create goes ahead only while it is still so. */
export interface ConfirmedPlan {
  /** The existing group's number of variables; null: there was none. */
  existingGroupVariables: number | null;
  clashingGroup: string | null;
  connectionExists: boolean;
}

/** What creating the sync will do, said before anything is written (utils/flow/sync-to-project.ts `previewSync`). */
export type SyncPlan = Omit<SyncPreview, 'existingSync'> & {
  existingSync: { name: string } | null;
  connection: { name: string; exists: boolean };
  /** The plan in words (utils/syncs/plan-text.ts). */
  text: { lines: PlanLine[]; canCreate: boolean; createLabel: string };
};

/** A create's answer: the sync, or the connect flow making the org's connection first (the page follows it, then asks again). */
export type SyncCreateAnswer = { kind: 'created'; line: SyncLine } | { kind: 'connecting'; flow: FlowState };
