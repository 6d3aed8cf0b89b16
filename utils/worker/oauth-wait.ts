import { storage } from 'wxt/utils/storage';
import { CATALOGUE, storageKey } from '@/utils/storage/catalogue';
import { z } from 'zod/mini';
import { connectRequestSchema } from '@/utils/flow/connect-request';
import type { OAuthRequest, OAuthWaitStart } from '@/utils/flow/connect-with-infisical-oauth';
import { appConnectionSchema } from '@/utils/infisical/schemas';

/**
 * The OAuth method's wait for Microsoft's answer in its consent tab, kept in `session:` storage
 * (survives a stopped worker, gone with the browser, like the tab's redirect rule): Chromium stops
 * an idle MV3 worker after 30 s, a person may take minutes, and the callback page's message then
 * wakes a worker that knows nothing else of the flow. It holds what finishing takes, and no
 * secret: the OAuth method has none, the code only ever arrives in that message, and the
 * connection being updated is as Infisical's lookup returns it, without its secrets.
 */
export type OAuthWait = OAuthWaitStart & {
  flowId: string;
  /** The consent tab, the one the redirect rule acts in. */
  tabId: number;
  /** Epoch ms after which the wait has failed (its 5 minutes are over). */
  deadline: number;
};

const waitSchema = z.object({
  flowId: z.string(),
  tabId: z.number(),
  deadline: z.number(),
  callbackUrl: z.string(),
  state: z.string(),
  request: connectRequestSchema,
  target: z.union([z.object({ kind: z.literal('create') }), z.object({ kind: z.literal('update'), connection: appConnectionSchema })]),
});

export const waitItem = storage.defineItem<OAuthWait>(storageKey(CATALOGUE.oauthWait), { version: CATALOGUE.oauthWait.version });

/** The stored wait, if it is whole and an OAuth request's. */
export async function readWait(): Promise<OAuthWait | null> {
  const parsed = waitSchema.safeParse(await waitItem.getValue());
  return parsed.success && parsed.data.request.method === 'infisical-oauth' ? { ...parsed.data, request: parsed.data.request as OAuthRequest } : null;
}
