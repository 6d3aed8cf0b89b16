// Infisical's error body `{ reqId, statusCode, message, error }` (docs/contracts.md A.6). `error` is
// the error's name as current servers send it (`BadRequest`, `NotFound`; older builds sent
// `BadRequestError`, `NotFoundError`).
import { json, type SandboxResponse } from './http.ts';
import { reqId } from './ids.ts';

export function infError(status: number, error: string, message: unknown, extra: Record<string, unknown> = {}): SandboxResponse {
  return json(status, { reqId: reqId(), statusCode: status, message, error, ...extra });
}

export const unauthorized = (message: string) => infError(401, 'UnauthorizedError', message);
export const badRequest = (message: string) => infError(400, 'BadRequest', message);
export const notFound = (message: string) => infError(404, 'NotFound', message);
export const tokenError = (message: string) => infError(403, 'TokenError', message);
export const internalError = (message: string) => infError(500, 'InternalServerError', message);

/** 422 from a zod failure: `message` is the issue array (docs/contracts.md A.6). */
export const validationFailure = (issues: unknown[]) => infError(422, 'ValidationFailure', issues);

/**
 * CASL denial (docs/contracts.md A.6, A.7). `details` lists the role's rules for that action on the
 * subject; the sandbox's roles only grant, so a denied action has none and `details` is empty.
 * Subjects: `app-connections` (organization or project), `secret-syncs` (project).
 */
export const permissionDenied = (action: string, subject = 'app-connections') =>
  infError(403, 'PermissionDenied', `You are not allowed to ${action} on ${subject}`, {
    details: [],
  });
