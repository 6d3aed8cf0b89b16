import { describe, expect, it } from 'vitest';
import { asBoundaryError, ExtensionError, InfisicalError } from '@/utils/errors/boundary-error';
import { toUserFacing } from '@/utils/errors/to-user-facing';
import { userMessageOf } from '@/utils/errors/user-message-of';
import { deserializeError, serializeError } from '@/utils/serialize-error-shim';

/** What @webext-core/messaging does with a thrown error: serialise, send as JSON, deserialise. */
const acrossContexts = (error: unknown) => deserializeError(JSON.parse(JSON.stringify(serializeError(error))));

describe('errors carried across extension contexts (serialize-error stand-in)', () => {
  it('a boundary error keeps its name, message and every field the catalogue reads', () => {
    const sent = new InfisicalError('PermissionDenied', 'You are not allowed', { status: 403, detail: 'app-connections: create', field: 'name' });
    const got = acrossContexts(sent);
    expect(got).toBeInstanceOf(Error);
    expect(got).toMatchObject({
      name: 'InfisicalError',
      message: 'You are not allowed',
      source: 'infisical',
      code: 'PermissionDenied',
      status: 403,
      detail: 'app-connections: create',
      field: 'name',
    });
    expect(asBoundaryError(got)).toMatchObject({ source: 'infisical', code: 'PermissionDenied', status: 403, field: 'name' });
  });

  it('the sentence the background wrote arrives as written', () => {
    const got = acrossContexts(toUserFacing(new ExtensionError('invalid-input', 'Enter the client ID.', { field: 'clientId' })));
    expect(userMessageOf(got)).toEqual({ title: 'Enter the client ID.', fix: 'Correct that field and try again.', details: 'invalid-input', field: 'clientId' });
  });

  it('odd throws survive: strings, null, functions dropped, cycles cut', () => {
    expect(acrossContexts('plain words').message).toBe('plain words');
    expect(acrossContexts(null).message).toBe('null');
    const cyclic = Object.assign(new Error('loop'), { run: () => 1 }) as Error & { self?: unknown };
    cyclic.self = cyclic;
    const got = acrossContexts(cyclic) as Error & Record<string, unknown>;
    expect(got.message).toBe('loop');
    expect(got.self).toBe('[Circular]');
    expect(got).not.toHaveProperty('run');
  });
});
