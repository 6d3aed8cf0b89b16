/**
 * One error type per outside system. Each carries the system's own code (an AADSTS number, a
 * `patTokenError` value, an Infisical error name) and the HTTP status, so that exactly one
 * function (`describeError`) turns it into the sentence a user reads.
 *
 * Fields are plain enumerable properties so the error survives serialisation across extension
 * contexts (@webext-core/messaging uses serialize-error).
 */
export type ErrorSource = 'microsoft' | 'azure-devops' | 'infisical' | 'extension';

/** Codes shared by every boundary for transport failures. */
export type TransportCode = 'network' | 'timeout' | 'malformed-response';

export interface BoundaryErrorOptions {
  status?: number;
  /** Raw detail from the server, already free of secrets; shown behind "details". */
  detail?: string;
  /** The input field the error is about (a message schema's path), so a page can show it there. */
  field?: string;
  cause?: unknown;
}

export class BoundaryError extends Error {
  readonly source: ErrorSource;
  readonly code: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly field: string | undefined;

  constructor(source: ErrorSource, code: string, message: string, options: BoundaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BoundaryError';
    this.source = source;
    this.code = code;
    this.status = options.status;
    this.detail = options.detail;
    this.field = options.field;
  }
}

export class MicrosoftError extends BoundaryError {
  constructor(code: string, message: string, options?: BoundaryErrorOptions) {
    super('microsoft', code, message, options);
    this.name = 'MicrosoftError';
  }
}

export class AzureDevOpsError extends BoundaryError {
  constructor(code: string, message: string, options?: BoundaryErrorOptions) {
    super('azure-devops', code, message, options);
    this.name = 'AzureDevOpsError';
  }
}

export class InfisicalError extends BoundaryError {
  constructor(code: string, message: string, options?: BoundaryErrorOptions) {
    super('infisical', code, message, options);
    this.name = 'InfisicalError';
  }
}

/** Problems inside the extension: missing settings, invalid input, a flow already running. */
export class ExtensionError extends BoundaryError {
  constructor(code: string, message: string, options?: BoundaryErrorOptions) {
    super('extension', code, message, options);
    this.name = 'ExtensionError';
  }
}

/** Narrow an unknown (possibly deserialised) error to the boundary shape. */
export function asBoundaryError(error: unknown): BoundaryError | null {
  if (error instanceof BoundaryError) return error;
  if (typeof error === 'object' && error !== null && 'source' in error && 'code' in error) {
    const e = error as { source: ErrorSource; code: string; message?: string; status?: number; detail?: string; field?: string };
    return new BoundaryError(e.source, String(e.code), String(e.message ?? ''), {
      ...(typeof e.status === 'number' ? { status: e.status } : {}),
      ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
      ...(typeof e.field === 'string' ? { field: e.field } : {}),
    });
  }
  return null;
}
