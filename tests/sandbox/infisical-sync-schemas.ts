// zod schemas reproducing Infisical's Azure DevOps secret-sync validation (docs/contracts.md A.9):
// the generic create/update fields of secret-sync-schemas.ts plus Azure DevOps' destination config
// and its one initial-sync behaviour. A refusal is the 422 of A.6, as for connections.
import { z } from 'zod';
import { normalizePath } from './infisical-project-access.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slug = (field: string, max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => SLUG.test(v), { message: `${field} field can only contain lowercase letters, numbers, and hyphens` });

const description = z.string().trim().max(256, 'Description cannot exceed 256 characters').nullish();
/** `removeTrailingSlash`: `/api/` is stored as `/api`, `/` stays. */
const secretPath = (required: string) => z.string().trim().min(1, required).transform(normalizePath);

/** Azure DevOps cannot import secrets, so overwriting the destination is the only first-sync behaviour. */
const SyncOptions = z.object({
  initialSyncBehavior: z.literal('overwrite-destination'),
  keySchema: z.string().trim().max(255).optional(),
  disableSecretDeletion: z.boolean().optional(),
});

const DestinationConfig = z.object({
  devopsProjectId: z.string().trim().min(1, 'Project ID required'),
  devopsProjectName: z.string().trim().optional(),
});

export const CreateSyncBody = z.object({
  name: slug('name', 256),
  projectId: z.string().trim().min(1, 'Project ID required'),
  description,
  connectionId: z.guid(),
  environment: slug('environment', 64),
  secretPath: secretPath('Secret path required'),
  isAutoSyncEnabled: z.boolean().default(true),
  syncOptions: SyncOptions,
  destinationConfig: DestinationConfig,
});

export const UpdateSyncBody = z.object({
  name: slug('name', 256).optional(),
  connectionId: z.guid().optional(),
  description,
  environment: slug('environment', 64).optional(),
  secretPath: secretPath('Invalid secret path').optional(),
  isAutoSyncEnabled: z.boolean().optional(),
  syncOptions: SyncOptions.optional(),
  destinationConfig: DestinationConfig.optional(),
});

export const SyncIdParams = z.object({ syncId: z.guid() });
export const ProjectQuery = z.object({ projectId: z.string().trim().min(1, 'Project ID required') });
export const DeleteQuery = z.object({ removeSecrets: z.enum(['true', 'false']).default('false') });
