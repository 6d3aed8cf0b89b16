// Infisical's secret-sync queue for Azure DevOps (docs/contracts.md A.9 "The job"): a job runs after
// the request that queued it has been answered, makes real HTTPS calls back into the sandbox's
// Azure DevOps (and, for OAuth connections, Entra) with the connection's credentials, and writes
// the outcome onto the sync: `syncStatus` / `lastSyncMessage` / `lastSyncedAt` / `lastSyncJobId`,
// or the `remove…` fields. A job whose sync is gone (deleted, or a sandbox reset) stops.
import https from 'node:https';
import { httpsRequest, type SandboxHttpResponse } from './client.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxEnv } from './http.ts';
import { uuid } from './ids.ts';
import { findProject } from './infisical-project-access.ts';
import { syncSource } from './infisical-sync-model.ts';
import { isoNow, now, type SandboxState, type SecretSyncJobLog, type SecretSyncRecord } from './state.ts';

/** What a job needs: no request, only the fakes' world and the way back into the sandbox. */
export interface JobContext {
  state: SandboxState;
  config: SandboxConfig;
  env: SandboxEnv;
}

const ADO_API = 'https://dev.azure.com';
const ADO_DEFAULT_SCOPE = 'https://app.vssps.visualstudio.com/.default';
/** `MAX_MESSAGE_LENGTH` of `parseSyncErrorMessage` (secret-sync-fns.ts). */
const MAX_MESSAGE = 1024;

const agent = new https.Agent({ keepAlive: true });

/**
 * An axios error as the queue reads it: `parseSyncErrorMessage` keeps the answer's body as JSON
 * text when there is one, else axios' "Request failed with status code N" (docs/contracts.md A.9).
 */
class HttpFailure extends Error {
  constructor(res: SandboxHttpResponse) {
    let data: unknown = res.text;
    try {
      data = res.json();
    } catch {
      /* not JSON: axios keeps the text */
    }
    super(res.text ? JSON.stringify(data) : `Request failed with status code ${res.status}`);
  }
}

/** Infisical's axios client: no redirects followed, anything outside 2xx is an error. */
async function call(job: JobContext, url: string, init: Parameters<typeof httpsRequest>[2] = {}): Promise<SandboxHttpResponse> {
  const res = await httpsRequest({ port: job.env.port, caPem: job.env.caPem, agent }, url, init);
  if (res.status < 200 || res.status >= 300) throw new HttpFailure(res);
  return res;
}

const stillThere = (job: JobContext, sync: SecretSyncRecord) => job.state.secretSyncs.includes(sync);
class Abandoned extends Error {}

/**
 * `getAzureDevopsConnection` (azure-devops-fns.ts): the PAT as is (Basic); for OAuth a refresh
 * grant with Infisical's own app, whose new tokens are stored, and the access token as Bearer;
 * any other method (client-secret on current builds) fails.
 */
async function connectionAuth(job: JobContext, sync: SecretSyncRecord): Promise<{ header: string; orgName: string }> {
  const c = job.state.connections.find((x) => x.id === sync.connectionId);
  if (!c) throw new Error(`Connection with ID '${sync.connectionId}' not found`);
  const orgName = String(c.secretCredentials['orgName'] ?? '');
  if (!orgName) throw new Error('Azure DevOps: organization name is required');
  if (c.method === 'access-token') return { header: `Basic ${Buffer.from(`:${String(c.secretCredentials['accessToken'])}`).toString('base64')}`, orgName };
  if (c.method !== 'oauth') throw new Error('Unsupported connection method');
  const { oauthClientId, oauthClientSecret } = job.config.infisical;
  if (!oauthClientId || !oauthClientSecret) throw new Error('Azure environment variables have not been configured');
  const tenant = String(c.secretCredentials['tenantId'] || 'common');
  const res = await call(job, `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      scope: ADO_DEFAULT_SCOPE,
      client_id: oauthClientId,
      client_secret: oauthClientSecret,
      refresh_token: String(c.secretCredentials['refreshToken'] ?? ''),
    }),
  });
  const t = res.json() as { access_token: string; refresh_token?: string; expires_in: number };
  c.secretCredentials = { ...c.secretCredentials, accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: now(job.state) + t.expires_in * 1000 };
  return { header: `Bearer ${t.access_token}`, orgName };
}

interface Group {
  id: number;
  name: string;
}

/** `$getEnvGroupId`: the project's groups, then the one named exactly like the environment. */
async function findGroup(job: JobContext, auth: { header: string; orgName: string }, devopsProjectId: string, environmentName: string): Promise<Group | undefined> {
  const url = `${ADO_API}/${encodeURIComponent(auth.orgName)}/${encodeURIComponent(devopsProjectId)}/_apis/distributedtask/variablegroups?api-version=7.1`;
  const res = await call(job, url, { headers: { authorization: auth.header } });
  let value: unknown;
  try {
    value = (res.json() as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  // A 2xx that is not the list (Azure DevOps' 203 sign-in page) breaks the loop over `data.value`.
  if (!Array.isArray(value)) throw new TypeError('response.data.value is not iterable');
  return (value as Group[]).find((g) => g.name === environmentName);
}

async function syncSecrets(job: JobContext, sync: SecretSyncRecord): Promise<void> {
  const project = findProject(job, sync.projectId);
  const { folder, environment } = syncSource(project, sync);
  if (!sync.destinationConfig.devopsProjectId) throw new Error('Azure DevOps: project ID is required');
  if (!environment || !folder) throw new Error('Azure DevOps: environment name is required');
  const auth = await connectionAuth(job, sync);
  if (!stillThere(job, sync)) throw new Abandoned();
  const group = await findGroup(job, auth, sync.destinationConfig.devopsProjectId, environment.name);
  if (!stillThere(job, sync)) throw new Abandoned();
  // Every secret of the folder, as a secret variable; the group's variables are replaced as a whole.
  const variables = Object.fromEntries(Object.entries(folder.secrets).map(([key, value]) => [key, { value, isSecret: true }]));
  const name = group?.name ?? environment.name;
  const body = {
    name,
    description: name,
    type: 'Vsts',
    variables,
    variableGroupProjectReferences: [{ description: name, name, projectReference: { id: sync.destinationConfig.devopsProjectId, name: sync.destinationConfig.devopsProjectId } }],
  };
  const org = encodeURIComponent(auth.orgName);
  const headers = { authorization: auth.header, 'content-type': 'application/json' };
  if (group) await call(job, `${ADO_API}/${org}/_apis/distributedtask/variablegroups/${group.id}?api-version=7.1`, { method: 'PUT', headers, body });
  else await call(job, `${ADO_API}/${org}/_apis/distributedtask/variablegroups?api-version=7.1`, { method: 'POST', headers, body });
}

/** Remove secrets: the environment's group is deleted as a whole (none: nothing to do). */
async function removeSecrets(job: JobContext, sync: SecretSyncRecord): Promise<void> {
  const project = findProject(job, sync.projectId);
  const { environment } = syncSource(project, sync);
  const auth = await connectionAuth(job, sync);
  if (!stillThere(job, sync)) throw new Abandoned();
  const group = await findGroup(job, auth, sync.destinationConfig.devopsProjectId, environment?.name ?? '');
  if (!group || !stillThere(job, sync)) return;
  const url = `${ADO_API}/${encodeURIComponent(auth.orgName)}/_apis/distributedtask/variablegroups/${group.id}?projectIds=${sync.destinationConfig.devopsProjectId}&api-version=7.1`;
  await call(job, url, { method: 'DELETE', headers: { authorization: auth.header } });
}

const messageOf = (e: unknown): string => {
  const m = (e instanceof Error && e.message) || 'An unknown error occurred.';
  return m.length <= MAX_MESSAGE ? m : `${m.slice(0, MAX_MESSAGE - 3)}...`;
};

/**
 * Queues a job for `sync` (`queueSecretSyncSyncSecretsById` / `…RemoveSecretsById`); the caller has
 * set the `pending` status. `deleteSyncOnComplete`: a DELETE with `removeSecrets=true`, whose sync
 * goes once the group is gone.
 */
export function queueSyncJob(job: JobContext, sync: SecretSyncRecord, kind: SecretSyncJobLog['kind'], options: { deleteSyncOnComplete?: boolean } = {}): void {
  const log: SecretSyncJobLog = { id: uuid(), syncId: sync.id, kind, queuedAt: isoNow(job.state), finishedAt: null, outcome: null, message: null };
  job.state.secretSyncJobs.push(log);
  const state = job.state;
  job.env.background.run(sync.id, async () => {
    const finish = (outcome: SecretSyncJobLog['outcome'], message: string | null) => Object.assign(log, { outcome, message, finishedAt: isoNow(state) });
    if (!stillThere(job, sync)) return void finish('abandoned', null);
    const removing = kind === 'remove-secrets';
    if (removing) sync.removeStatus = 'running';
    else sync.syncStatus = 'running';
    try {
      await (removing ? removeSecrets(job, sync) : syncSecrets(job, sync));
    } catch (e) {
      if (e instanceof Abandoned || !stillThere(job, sync)) return void finish('abandoned', null);
      const message = messageOf(e);
      if (removing) Object.assign(sync, { removeStatus: 'failed', lastRemoveMessage: message, lastRemoveJobId: log.id });
      else Object.assign(sync, { syncStatus: 'failed', lastSyncMessage: message, lastSyncJobId: log.id });
      return void finish('failed', message);
    }
    if (!stillThere(job, sync)) return void finish('abandoned', null);
    const at = isoNow(state);
    if (removing) Object.assign(sync, { removeStatus: 'succeeded', lastRemoveMessage: null, lastRemoveJobId: log.id, lastRemovedAt: at });
    else Object.assign(sync, { syncStatus: 'succeeded', lastSyncMessage: null, lastSyncJobId: log.id, lastSyncedAt: at });
    if (removing && options.deleteSyncOnComplete) state.secretSyncs.splice(state.secretSyncs.indexOf(sync), 1);
    finish('succeeded', null);
  });
}
