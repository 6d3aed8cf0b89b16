import type { SyncPlan } from './sync-line';

/** One line of the plan as the page shows it: its words, how it reads, and its test hook. */
export interface PlanLine {
  text: string;
  /** `warn`: a line the person must read before confirming (it takes focus); `hint`: secondary. */
  tone: 'plain' | 'warn' | 'hint';
  testid?: string;
}

/**
 * What creating the sync will do, in words, composed in the worker: the content script only shows
 * the lines (its bundle stays small, docs/performance.md "Secret syncs, in bytes"). Infisical's
 * Azure DevOps sync writes one variable group named after the environment, replaces all of its
 * variables at every run and deletes it with "remove secrets" (docs/contracts.md A.9): said
 * before anything is written, with the variables an existing group holds counted.
 */
export function planText(p: Omit<SyncPlan, 'text'>): { lines: PlanLine[]; canCreate: boolean; createLabel: string } {
  if (p.existingSync) {
    return {
      lines: [{ text: `The secret sync “${p.existingSync.name}” already syncs ${p.environment.name} into ${p.adoProject.name}.`, tone: 'warn', testid: 'sync-exists' }],
      canCreate: false,
      createLabel: '',
    };
  }
  if (p.clashingGroup) {
    return {
      lines: [
        {
          text: `${p.adoProject.name} has a variable group “${p.clashingGroup.name}”, which differs from “${p.groupName}” only in case: Infisical would not replace it, and Azure DevOps would refuse its group of the same name, so every sync would fail.`,
          tone: 'warn',
          testid: 'sync-clashing-group',
        },
        { text: `Rename or delete “${p.clashingGroup.name}” in Azure DevOps › Pipelines › Library, then review again.`, tone: 'plain' },
      ],
      canCreate: false,
      createLabel: '',
    };
  }
  const count = p.existingGroup?.variableCount ?? 0;
  const source = `the secrets of ${p.infisicalProject.name} › ${p.environment.name} at ${p.secretPath} (not its subfolders)`;
  return {
    lines: [
      {
        text: `Infisical will write ${source} into the variable group “${p.groupName}” of ${p.adoProject.name}, each one as a secret variable, now and whenever they change. The group is named after the environment; its name cannot be chosen.`,
        tone: 'plain',
        testid: 'sync-plan',
      },
      p.existingGroup
        ? {
            text: `A variable group named “${p.groupName}” already exists in ${p.adoProject.name} with ${count} variable${count === 1 ? '' : 's'}: ${count === 1 ? 'it' : 'all of them'} will be replaced, and variables added there by hand disappear at every sync.`,
            tone: 'warn',
            testid: 'sync-existing-group',
          }
        : { text: 'The group does not exist yet: Infisical creates it.', tone: 'plain' },
      { text: 'Every sync replaces all of the group’s variables; deleting the sync in Infisical with “remove secrets” deletes the whole group.', tone: 'plain' },
      { text: p.connection.exists ? `With the connection “${p.connection.name}”.` : `The connection “${p.connection.name}” is made first (Sign in with Microsoft).`, tone: 'hint' },
    ],
    canCreate: true,
    createLabel: p.existingGroup ? 'Replace its variables and sync' : 'Create the sync',
  };
}
