import type { RowOutcome } from '@/utils/connections/view-model';
import { ExtensionError } from '@/utils/errors/boundary-error';
import { isNotFound } from '@/utils/infisical/http';
import { describeError } from '@/utils/errors/describe-error';
import { PAT_PAGE } from '@/utils/errors/catalogue/entry';
import type { ConnectionRecord } from '@/utils/storage/records';
import type { Services } from '@/entrypoints/background/services';
import type { Inventory } from './inventory';
import type { Ledger } from './ledger';

/**
 * Remove a connection (Infisical's DELETE, then its PAT revoked, then its record forgotten), or
 * forget the record of one that is gone from Infisical (its PAT revoked first). The sign-in that
 * the revoke needs comes first: a sign-in cancelled changes nothing, and a connection is never
 * deleted with its PAT then left live for want of a token.
 */
export function createRemoval(parts: {
  services: Pick<Services, 'infisical' | 'ado' | 'entraToken' | 'settings'>;
  ledger: Pick<Ledger, 'connections' | 'forgetConnection'>;
  inventory: Pick<Inventory, 'listedConnection' | 'updated'>;
}) {
  const { services, ledger, inventory } = parts;

  const recordOf = async (id: string, instanceUrl: string) => (await ledger.connections()).find((r) => r.id === id && r.instanceUrl === instanceUrl) ?? null;

  /** A token for the record's tenant (silent when one is held), before anything changes. */
  async function bearerFor(record: ConnectionRecord | null): Promise<string | null> {
    if (!record?.patAuthorizationId) return null;
    const clientId = record.clientId ?? (await services.settings()).microsoftClientId;
    if (!clientId) throw new ExtensionError('microsoft-client-missing', 'No Microsoft client ID to sign in with and revoke the token.');
    return (await services.entraToken({ clientId, tenant: record.tenantId })).accessToken;
  }

  /** Revoke the record's PAT; a sentence when that failed (the person revokes it). */
  async function revoke(record: ConnectionRecord, bearer: string): Promise<string | null> {
    try {
      await services.ado.revokePat(record.org, bearer, record.patAuthorizationId!);
      return null;
    } catch {
      return `Its token could not be revoked; revoke it in ${PAT_PAGE} (authorization ${record.patAuthorizationId}).`;
    }
  }

  async function remove(id: string): Promise<RowOutcome> {
    const listed = await inventory.listedConnection(id).catch(() => null);
    let name = listed?.name ?? id;
    try {
      const { infisical, instanceUrl } = await services.infisical();
      const record = await recordOf(id, instanceUrl);
      name = record?.name ?? name;
      const bearer = await bearerFor(record);
      try {
        name = (await infisical.appConnections.remove(id)).name;
      } catch (error) {
        // Deleted already (elsewhere, or an earlier answer was lost): what follows still applies.
        if (!isNotFound(error)) throw error;
      }
      inventory.updated(null, id);
      // An access-token connection made elsewhere: its token is someone else's to revoke.
      const unknownToken = !record?.patAuthorizationId && (listed?.method ?? record?.method) === 'access-token';
      let note: string | null = unknownToken ? 'Its token was not made by this extension: its owner should revoke it in Azure DevOps.' : null;
      if (record && bearer) note = await revoke(record, bearer);
      if (record) await ledger.forgetConnection(id);
      return { id, name, ok: true, patValidTo: null, expiryClamped: false, note };
    } catch (error) {
      return { id, name, ok: false, error: describeError(error) };
    }
  }

  async function forget(id: string): Promise<RowOutcome> {
    let name = id;
    try {
      const { infisical, instanceUrl } = await services.infisical();
      const record = await recordOf(id, instanceUrl);
      if (!record) return { id, name, ok: true, patValidTo: null, expiryClamped: false, note: null };
      name = record.name;
      // Its PAT is revoked only if the connection is really gone: revoking the token of one that
      // is still there would break every sync that uses it.
      const still = await infisical.appConnections.getById(id).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      });
      if (still) throw new ExtensionError('connection-still-there', `'${still.name}' still exists in Infisical.`);
      const bearer = await bearerFor(record);
      const note = bearer ? await revoke(record, bearer) : null;
      await ledger.forgetConnection(id);
      return { id, name, ok: true, patValidTo: null, expiryClamped: false, note };
    } catch (error) {
      return { id, name, ok: false, error: describeError(error) };
    }
  }

  return { remove, forget };
}
