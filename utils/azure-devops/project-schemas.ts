import { z } from 'zod/mini';

/** One project and its variable groups, as Azure DevOps answers them (docs/contracts.md A.9, B.3). */

/** `GET {org}/_apis/projects/{nameOrId}`: only the id and name are used. */
export const projectSchema = z.looseObject({ id: z.string().check(z.minLength(1)), name: z.string() });

/** A variable group; `variables` maps each name to `{ value, isSecret }` (a secret's value is null). */
export const variableGroupSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  variables: z.nullish(z.record(z.string(), z.unknown())),
});

/** `GET {org}/{project}/_apis/distributedtask/variablegroups?groupName=`. */
export const variableGroupsSchema = z.looseObject({ value: z.array(z.unknown()) });
