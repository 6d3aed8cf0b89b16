import { defineExtensionMessaging } from '@webext-core/messaging';
import type { FlowState } from './flow/flow-state';
import type { EntraToken, MsalBeginRequest } from './microsoft/types';

/**
 * Every message between extension contexts, in one place. Inputs are validated again by the
 * receiver (zod), because a message is a boundary like any other.
 */

/** Answered by the background worker. */
export interface BackgroundProtocol {
  /** Start the default connect flow; answers with the initial progress state. */
  'connect.start'(input: unknown): FlowState;
  /** Forget the finished flow so the popup shows the form again. */
  'flow.dismiss'(): void;
}

/** Answered by the context that runs MSAL (the offscreen document on Chromium). */
export interface MsalProtocol {
  'msal.begin'(request: MsalBeginRequest): { authorizeUrl: string };
  'msal.complete'(request: { responseUrl: string }): EntraToken;
  'msal.end'(): void;
}

export const backgroundMessaging = defineExtensionMessaging<BackgroundProtocol>();
export const msalMessaging = defineExtensionMessaging<MsalProtocol>();
