/**
 * Which Infisical connection a flow, a PAT record or a connection record is about: the instance
 * (its origin), the scope the connection lives in, and its name. Infisical keeps connection names
 * unique within a scope (docs/contracts.md A.3), so two keys that agree here name one connection;
 * the Azure DevOps organization is not part of it (two connections may serve one organization).
 */
export interface ConnectionKey {
  /** Origin of the Infisical instance, e.g. https://app.infisical.com. */
  instanceUrl: string;
  /** The Infisical project a project-scoped connection belongs to; null: the organization's. */
  projectId: string | null;
  /** The connection's name (utils/inputs.ts `connectionNameSchema`: lower case). */
  name: string;
}

/** The key of anything that carries its three parts under these names. */
export function connectionKey(of: { instanceUrl: string; projectId?: string | null; name: string }): ConnectionKey {
  return { instanceUrl: of.instanceUrl, projectId: of.projectId ?? null, name: of.name };
}

/** One string per connection, for maps and sets; names compare as Infisical compares them. */
export function keyId(key: ConnectionKey): string {
  return JSON.stringify([key.instanceUrl.toLowerCase(), key.projectId, key.name.toLowerCase()]);
}

export function sameKey(a: ConnectionKey, b: ConnectionKey): boolean {
  return keyId(a) === keyId(b);
}
