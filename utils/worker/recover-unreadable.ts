import { salvageablePatSchema, type SalvageablePat } from '@/utils/storage/records';
import type { Ledger } from './ledger';
import type { Services } from '@/entrypoints/background/services';

type Needs = Pick<Services, 'infisical' | 'entraToken' | 'ado' | 'microsoftClientId'>;

/**
 * A pending-PAT record that no longer reads (utils/worker/ledger.ts set it aside) may
 * still name a live PAT: when its org and authorization id read, that PAT is revoked at start like
 * any left over (docs/reliability.md), signing in silently with the tenant and client ID it names,
 * else the org's tenant and the client ID configured now. It is left alone while anything says it
 * may be in use: a connection record holds it, a readable record names it, or Infisical has an
 * access-token connection of the name it names, updated since it was minted. The set-aside record
 * stays (the options page counts it), marked revoked; one that could not be revoked is tried again
 * at the next start.
 */
export async function revokeUnreadable(services: Needs, ledger: Ledger, now: () => Date): Promise<void> {
  const waiting = (await ledger.unreadable()).filter((e) => e.from === 'pendingPats' && !e.revokedAt);
  if (waiting.length === 0) return;
  const [connections, pendings] = await Promise.all([ledger.connections(), ledger.pending()]);
  const held = new Set([...connections.map((c) => c.patAuthorizationId), ...pendings.flatMap((p) => [p.authorizationId, p.replaces])]);
  for (const entry of waiting) {
    const salvaged = salvageablePatSchema.safeParse(entry.raw);
    if (!salvaged.success || held.has(salvaged.data.authorizationId)) continue;
    const { org, authorizationId } = salvaged.data;
    try {
      if (await mayBeDelivered(services, salvaged.data)) continue;
      const tenant = salvaged.data.tenant ?? (await services.ado.discoverTenant(org)).tenantId;
      const clientId = salvaged.data.clientId ?? (await services.microsoftClientId());
      const token = await services.entraToken({ clientId, tenant, interactive: false });
      await services.ado.revokePat(org, token.accessToken, authorizationId);
      await ledger.markRevoked(entry, now().toISOString());
    } catch {
      // No silent sign-in, Azure DevOps unreachable: the record stays as it is, for the next start.
    }
  }
}

/** Whether Infisical may hold this PAT: the named connection exists, uses an access token, and changed since the mint. */
async function mayBeDelivered(services: Needs, pat: SalvageablePat): Promise<boolean> {
  if (!pat.connectionName) return false;
  const current = await services.infisical();
  // Minted for another instance than the one configured now: never delivered here (recover.ts does the same).
  if (pat.instanceUrl && pat.instanceUrl !== current.instanceUrl) return false;
  const name = pat.connectionName;
  const found = await current.infisical.appConnections.findByName(name, pat.projectId ?? null);
  if (found?.method !== 'access-token') return false;
  return !pat.mintedAt || !found.updatedAt || found.updatedAt >= pat.mintedAt;
}
