// The sandbox's seeding (tests/sandbox/seed.ts) for end-to-end tests and the bench: in-process on a
// started sandbox, or over the admin API on one in its own process (scripts/bench/remote-sandbox.ts
// starts it so), plus the extension's own record of each seeded connection.
import type { ConnectionRecord } from '../../utils/storage/records';
import { httpsRequest } from '../sandbox/client';
import { EXTENSION_APP, INFISICAL } from '../sandbox/fixtures';
import * as seed from '../sandbox/seed';
import type { Sandbox } from '../sandbox/server';
import type { PatRecord, SanitizedConnection, SecretSyncRecord } from '../sandbox/state';

export type { SeedOptions } from '../sandbox/seed';

export type SeededConnection = seed.SeededConnection & {
  /**
   * The extension's record of the connection, as this build's ledger writes it after a "Sign in
   * with Microsoft" connect (utils/worker/flow-runner.ts), for tests that put it in storage.
   */
  record: ConnectionRecord;
};

export interface SeedResult {
  orgs: seed.SeedResult['orgs'];
  connections: SeededConnection[];
}

/** The extension's record of a seeded connection (utils/storage/records.ts). */
export function connectionRecordFor(seeded: seed.SeededConnection): ConnectionRecord {
  return {
    id: seeded.connection.id,
    name: seeded.connection.name,
    instanceUrl: INFISICAL.siteUrl,
    projectId: null,
    org: seeded.org,
    tenantId: seeded.tenantId,
    clientId: EXTENSION_APP.clientId,
    method: 'access-token',
    patAuthorizationId: seeded.pat.authorizationId,
    patValidTo: seeded.pat.validTo,
    patLifetimeDays: seeded.lifetimeDays,
    createdAt: seeded.connection.createdAt,
  };
}

const withRecords = (result: seed.SeedResult): SeedResult => ({ orgs: result.orgs, connections: result.connections.map((c) => ({ ...c, record: connectionRecordFor(c) })) });

/**
 * `connections` (default 300) access-token connections over `orgs` (default 30) new orgs
 * `bench-01`…, made as the extension would have made them, with the extension's records
 * (tests/sandbox/seed.ts `seedConnections`).
 */
export function seedConnections(sandbox: Sandbox, options: seed.SeedOptions = {}): SeedResult {
  return withRecords(seed.seedConnections(sandbox, options));
}

/** Revokes a PAT as its owner does in Azure DevOps' UI (tests/sandbox/seed.ts `revokePat`). */
export function revokePatBehindTheBack(sandbox: Sandbox, authorizationId: string): PatRecord {
  return seed.revokePat(sandbox, authorizationId);
}

/** Deletes a connection as a person does in Infisical's UI; throws while a secret sync uses it (tests/sandbox/seed.ts `deleteConnection`). */
export function deleteConnectionInInfisical(sandbox: Sandbox, connectionId: string): SanitizedConnection {
  return seed.deleteConnection(sandbox, connectionId);
}

/** A secret sync on the connection: Infisical's DELETE of it then answers 400 (tests/sandbox/seed.ts `addSecretSync`). */
export function addSecretSync(sandbox: Sandbox, connectionId: string, name?: string): SecretSyncRecord {
  return seed.addSecretSync(sandbox, connectionId, name);
}

/** The same, over the admin API of a sandbox in another process (`{ port, caPem }` of its banner and CA file). */
export interface SandboxAdmin {
  /** `validForDays` as a number or an array (a function cannot cross the process boundary). */
  seedConnections(options?: Omit<seed.SeedOptions, 'validForDays'> & { validForDays?: number | number[] }): Promise<SeedResult>;
  revokePat(authorizationId: string): Promise<PatRecord>;
  deleteConnection(connectionId: string): Promise<SanitizedConnection>;
  addSecretSync(connectionId: string, name?: string): Promise<SecretSyncRecord>;
  advanceClock(ms: number): Promise<void>;
}

export function sandboxAdmin(target: { port: number; caPem: string }): SandboxAdmin {
  const call = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const res = await httpsRequest(target, `https://localhost${path}`, { method, ...(body ? { body } : {}) });
    if (res.status !== 200) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${res.text}`);
    return res.json() as T;
  };
  return {
    seedConnections: async (options = {}) => withRecords(await call<seed.SeedResult>('POST', '/__sandbox/seed', options)),
    revokePat: (authorizationId) => call('POST', `/__sandbox/pats/${encodeURIComponent(authorizationId)}/revoke`),
    deleteConnection: (connectionId) => call('DELETE', `/__sandbox/connections/${encodeURIComponent(connectionId)}`),
    addSecretSync: (connectionId, name) => call('POST', '/__sandbox/secret-syncs', { connectionId, ...(name ? { name } : {}) }),
    advanceClock: async (ms) => {
      await call('POST', '/__sandbox/clock', { advanceMs: ms });
    },
  };
}
