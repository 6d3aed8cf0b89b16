import { AzureDevOpsError } from '../errors/boundary-error';
import { redact } from '../errors/redact';
import type { Endpoints } from '../config/endpoints';
import { parseJson, send, type FetchLike } from '../http/request';
import type { z } from 'zod/mini';
import { adoErrorBodySchema } from './schemas';
import { projectSchema, variableGroupSchema, variableGroupsSchema } from './project-schemas';

const makeError = (...args: ConstructorParameters<typeof AzureDevOpsError>) => new AzureDevOpsError(...args);

export interface AdoProject {
  id: string;
  name: string;
}

export interface VariableGroupSummary {
  id: number;
  name: string;
  /** How many variables it holds now: a sync replaces them all (docs/contracts.md A.9). */
  variableCount: number;
  /**
   * Its name is the one asked for exactly. Infisical's sync compares names exactly (A.9), Azure
   * DevOps without case (B.6): a group that differs only in case is not the one the sync replaces,
   * and it makes the sync's own create of the group fail.
   */
  exact: boolean;
}

/** Azure DevOps' words for a project it does not have (docs/contracts.md B.3): `TF200016`, `ProjectDoesNotExist…`. */
const PROJECT_MISSING = /TF200016|ProjectDoesNotExist/;

/** A non-200 answer as the error the catalogue names: `project-not-found`, else client.ts's codes by status. */
async function readError(response: Response, org: string, project: string): Promise<AzureDevOpsError> {
  const text = await response.text().catch(() => '');
  let message = '';
  let typeKey = '';
  try {
    const parsed = adoErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) [message, typeKey] = [parsed.data.message, parsed.data.typeKey ?? ''];
  } catch {
    // HTML sign-in pages and empty bodies carry no message.
  }
  const status = response.status;
  const detail = redact(message || `HTTP ${status}`);
  if (status === 404 && PROJECT_MISSING.test(`${typeKey} ${message}`)) {
    return new AzureDevOpsError('project-not-found', `There is no project '${project}' in the Azure DevOps organization '${org}'.`, { status, detail });
  }
  const code = status === 401 || status === 203 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : `http-${status}`;
  return new AzureDevOpsError(code, `Azure DevOps answered ${status} for organization '${org}'.`, { status, detail });
}

/**
 * What the sync flow reads of one Azure DevOps project with the person's Entra token (Bearer, as
 * client.ts sends it): the project's id, and whether a variable group of the sync's name is
 * already there (docs/contracts.md A.9). Reads only; Infisical's sync job does the writing.
 * Every function throws `AzureDevOpsError`.
 */
export function createProjectReads(options: { endpoints: Endpoints; fetch: FetchLike }) {
  const { endpoints, fetch: fetchFn } = options;
  const $ = encodeURIComponent;

  async function getJson<S extends z.ZodMiniType>(url: string, token: string, schema: S, org: string, project: string): Promise<z.infer<S>> {
    const response = await send(fetchFn, url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, makeError);
    if (response.status !== 200) throw await readError(response, org, project);
    return parseJson(response, schema, makeError);
  }

  return {
    /**
     * The project by name (as the page's address shows it) or id (B.3).
     * @throws AzureDevOpsError `project-not-found` (TF200016) when the org has no such project.
     */
    async getProject(token: string, org: string, nameOrId: string): Promise<AdoProject> {
      const project = await getJson(`${endpoints.azureDevOps}/${$(org)}/_apis/projects/${$(nameOrId)}?api-version=7.1`, token, projectSchema, org, nameOrId);
      return { id: project.id, name: project.name };
    },

    /**
     * The project's variable group of this name, or null: the exactly named one first (the one
     * Infisical's sync replaces), else one that differs only in case (`exact: false`). `groupName`
     * is a filter that takes `*` as a wildcard, so the answer is filtered again here.
     */
    async findVariableGroup(token: string, org: string, projectId: string, groupName: string): Promise<VariableGroupSummary | null> {
      const url = `${endpoints.azureDevOps}/${$(org)}/${$(projectId)}/_apis/distributedtask/variablegroups?groupName=${$(groupName)}&api-version=7.1`;
      const body = await getJson(url, token, variableGroupsSchema, org, projectId);
      const wanted = groupName.toLowerCase();
      const groups = body.value.flatMap((entry) => {
        const group = variableGroupSchema.safeParse(entry);
        return group.success && group.data.name.toLowerCase() === wanted ? [group.data] : [];
      });
      const found = groups.find((g) => g.name === groupName) ?? groups[0];
      return found ? { id: found.id, name: found.name, variableCount: Object.keys(found.variables ?? {}).length, exact: found.name === groupName } : null;
    },
  };
}

export type ProjectReads = ReturnType<typeof createProjectReads>;
