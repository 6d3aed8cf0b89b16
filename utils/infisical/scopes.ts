import type { InfisicalApi } from './api';

/** Where a new connection may live: the organization, or one of these projects (docs/contracts.md A.12). */
export interface ConnectionScopes {
  projects: { id: string; name: string }[];
  /**
   * Whether the instance keeps connections per project: true when its connections say which scope
   * they belong to, false when they carry no `projectId` at all (an older build, which would make
   * a "project" connection organization-wide), null when it has none to tell by. The create checks
   * the answer in any case (utils/flow/save-connection.ts).
   */
  supported: boolean | null;
}

/**
 * The scopes the connect form offers. Both reads go out together; a failing projects read (an
 * identity that may not list projects) means no project to offer, not a failed form.
 */
export async function connectionScopes(api: Pick<InfisicalApi, 'projects' | 'appConnections'>): Promise<ConnectionScopes> {
  const [projects, connections] = await Promise.all([api.projects.list().catch(() => []), api.appConnections.list().catch(() => null)]);
  const supported = !connections || connections.length === 0 ? null : connections.some((c) => c.projectId !== undefined);
  return { projects: supported === false ? [] : projects.map(({ id, name }) => ({ id, name })), supported };
}
