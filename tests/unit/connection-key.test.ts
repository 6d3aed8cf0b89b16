import { describe, expect, it } from 'vitest';
import { connectionKey, keyId, sameKey } from '@/utils/connection-key';

describe('ConnectionKey', () => {
  const key = connectionKey({ instanceUrl: 'https://app.infisical.com', name: 'azure-devops-contoso' });

  it('is the organization scope when no project is named', () => {
    expect(key).toEqual({ instanceUrl: 'https://app.infisical.com', projectId: null, name: 'azure-devops-contoso' });
  });

  it('names one connection per instance, scope and name', () => {
    expect(sameKey(key, { ...key, name: 'AZURE-DEVOPS-CONTOSO' })).toBe(true);
    expect(sameKey(key, { ...key, name: 'azure-devops-fabrikam' })).toBe(false);
    expect(sameKey(key, { ...key, instanceUrl: 'https://eu.infisical.com' })).toBe(false);
    expect(sameKey(key, { ...key, projectId: 'p-1' })).toBe(false);
  });

  it('cannot be confused by separators inside its parts', () => {
    expect(keyId({ instanceUrl: 'a b', projectId: null, name: 'c' })).not.toBe(keyId({ instanceUrl: 'a', projectId: null, name: 'b c' }));
  });
});
