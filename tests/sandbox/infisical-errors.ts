// Infisical's error body `{ reqId, statusCode, message, error }` (docs/contracts.md A.6).
import { json, type SandboxResponse } from './http.ts';
import { reqId } from './ids.ts';

export function infError(status: number, error: string, message: unknown, extra: Record<string, unknown> = {}): SandboxResponse {
  return json(status, { reqId: reqId(), statusCode: status, message, error, ...extra });
}

export const unauthorized = (message: string) => infError(401, 'UnauthorizedError', message);
export const badRequest = (message: string) => infError(400, 'BadRequestError', message);
export const notFound = (message: string) => infError(404, 'NotFoundError', message);
export const tokenError = (message: string) => infError(403, 'TokenError', message);

/** 422 from a zod failure: `message` is the issue array (docs/contracts.md A.6). */
export const validationFailure = (issues: unknown[]) => infError(422, 'ValidationFailure', issues);

/** CASL denial (docs/contracts.md A.6, A.7). */
export const permissionDenied = (action: string) => infError(403, 'PermissionDenied', `You are not allowed to ${action} on App Connections`, {
  details: [{ action, inverted: false, subject: 'app-connections' }],
});
