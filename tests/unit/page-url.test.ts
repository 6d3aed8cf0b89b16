import { describe, expect, it } from 'vitest';
import { parseAdoUrl } from '@/utils/azure-devops/page-url';

describe('parseAdoUrl', () => {
  it.each([
    ['https://dev.azure.com/contoso', { org: 'contoso', project: null }],
    ['https://dev.azure.com/contoso/Payments/_library?itemType=VariableGroups', { org: 'contoso', project: 'Payments' }],
    ['https://dev.azure.com/contoso/_settings/organizationOverview', { org: 'contoso', project: null }],
    ['https://dev.azure.com/contoso/My%20Project/_git', { org: 'contoso', project: 'My Project' }],
    ['https://fabrikam.visualstudio.com/Web/_build', { org: 'fabrikam', project: 'Web' }],
    ['https://fabrikam.visualstudio.com/', { org: 'fabrikam', project: null }],
  ])('%s', (url, expected) => {
    expect(parseAdoUrl(url)).toEqual(expected);
  });

  it.each([
    'https://dev.azure.com/',
    'https://dev.azure.com/_signin',
    'https://dev.azure.com/-bad-/x',
    'http://dev.azure.com/contoso',
    'https://a.b.visualstudio.com/x',
    'https://app.vssps.visualstudio.com.evil.example/x',
    'https://example.com/contoso',
    'not a url',
    undefined,
  ])('is null outside an org: %s', (url) => {
    expect(parseAdoUrl(url)).toBeNull();
  });
});
