import { describe, expect, it } from 'vitest';
import { NOT_ORGANIZATIONS, orgFromUrl, parseAdoUrl } from '@/utils/azure-devops/page-url';

describe('parseAdoUrl', () => {
  it.each([
    ['https://dev.azure.com/contoso', { org: 'contoso', project: null }],
    ['https://dev.azure.com/contoso/Payments/_library?itemType=VariableGroups', { org: 'contoso', project: 'Payments' }],
    ['https://dev.azure.com/contoso/_settings/organizationOverview', { org: 'contoso', project: null }],
    ['https://dev.azure.com/contoso/My%20Project/_git', { org: 'contoso', project: 'My Project' }],
    ['https://fabrikam.visualstudio.com/Web/_build', { org: 'fabrikam', project: 'Web' }],
    ['https://fabrikam.visualstudio.com/', { org: 'fabrikam', project: null }],
    // Names that merely start like a Microsoft site are organizations.
    ['https://codeworks.visualstudio.com/', { org: 'codeworks', project: null }],
    ['https://my-team.visualstudio.com/Web', { org: 'my-team', project: 'Web' }],
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

  it.each([
    'https://code.visualstudio.com/docs',
    'https://marketplace.visualstudio.com/items?itemName=ms-vscode.azure-account',
    'https://MARKETPLACE.visualstudio.com/',
    'https://www.visualstudio.com/downloads/',
    'https://my.visualstudio.com/Downloads',
    'https://developercommunity.visualstudio.com/t/x/123',
    'https://status.visualstudio.com/',
    'https://vsstatus.visualstudio.com/',
    'https://vs-ssh.visualstudio.com/',
  ])('is null on Microsoft’s own sites under visualstudio.com: %s', (url) => {
    expect(parseAdoUrl(url)).toBeNull();
    expect(orgFromUrl(url)).toBeNull();
  });

  it('lists only names an organization could otherwise have (so each one matters)', () => {
    for (const name of NOT_ORGANIZATIONS) expect(name).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/);
  });
});
