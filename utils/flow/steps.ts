/** The steps a connect flow can show, and their labels. Free of zod: the content script uses it. */
export const STEP_IDS = ['sign-in', 'oauth-consent', 'check-access', 'create-token', 'save'] as const;
export type StepId = (typeof STEP_IDS)[number];

export const STEP_LABELS: Record<StepId, string> = {
  'sign-in': 'Signing in with Microsoft',
  'oauth-consent': 'Waiting for Microsoft consent in the new tab',
  'check-access': 'Checking organization access',
  'create-token': 'Creating a least-privilege token',
  save: 'Saving to Infisical',
};
