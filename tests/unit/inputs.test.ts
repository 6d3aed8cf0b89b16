import { describe, expect, it } from 'vitest';
import {
  connectionNameFor,
  connectionNameSchema,
  defaultConnectionName,
  firstIssue,
  guidSchema,
  droppedFromUrl,
  instanceUrlSchema,
  nameTemplateSchema,
  orgNameSchema,
  tenantIdSchema,
} from '@/utils/inputs';

describe('tenantIdSchema', () => {
  it.each(['72F988BF-86F1-41AF-91AB-2D7CD011DB47', 'contoso.onmicrosoft.com', ' contoso.com '])('accepts %s', (v) => {
    expect(tenantIdSchema.parse(v)).toBe(v.trim().toLowerCase());
  });
  it.each(['', 'contoso', '72f988bf-86f1-41af-91ab', 'https://login.microsoftonline.com/x', 'a b.com'])('rejects %j with a sentence', (v) => {
    const r = tenantIdSchema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/tenant|GUID/i);
  });
});

describe('guidSchema', () => {
  it('asks for an empty field instead of calling it a bad GUID', () => {
    const r = guidSchema('The client ID').safeParse('  ');
    expect(r.success).toBe(false);
    expect(firstIssue(r.error!)).toBe('Enter the client ID.');
  });
  it('says what a GUID looks like for anything else', () => {
    const r = guidSchema('The Microsoft app (client) ID').safeParse('abc');
    expect(firstIssue(r.error!)).toBe('The Microsoft app (client) ID must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47.');
    expect(guidSchema('The client ID').parse(' 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ')).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
  });
});

describe('orgNameSchema (docs/contracts.md B.5)', () => {
  it.each(['contoso', 'Contoso-Dev', 'a', 'a1', 'x'.repeat(50)])('accepts %s', (v) => {
    expect(orgNameSchema.safeParse(v).success).toBe(true);
  });
  it.each(['', '-contoso', 'contoso-', 'con toso', 'contoso_dev', 'x'.repeat(51), 'dev.azure.com/contoso'])('rejects %j', (v) => {
    expect(orgNameSchema.safeParse(v).success).toBe(false);
  });
});

describe('connectionNameSchema (Infisical slug, ≤ 32)', () => {
  it.each(['azure-devops-contoso', 'a', 'a1-b2'])('accepts %s', (v) => {
    expect(connectionNameSchema.safeParse(v).success).toBe(true);
  });
  it.each(['Azure', 'a--b', '-a', 'a-', 'a_b', 'x'.repeat(33), ''])('rejects %j', (v) => {
    expect(connectionNameSchema.safeParse(v).success).toBe(false);
  });
  it('derives a valid default from any org name', () => {
    for (const org of ['Contoso', 'a', 'Very-Long-Organization-Name-That-Exceeds-Limits-123', 'x9-']) {
      const name = defaultConnectionName(org);
      expect(connectionNameSchema.safeParse(name).success, name).toBe(true);
    }
    expect(defaultConnectionName('Contoso')).toBe('azure-devops-contoso');
  });
});

describe('instanceUrlSchema', () => {
  it.each([
    ['https://app.infisical.com/', 'https://app.infisical.com'],
    ['app.infisical.com', 'https://app.infisical.com'],
    ['https://secrets.example.com:8443/some/path?x=1', 'https://secrets.example.com:8443'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1', 'http://127.0.0.1'],
  ])('normalises %s to %s', (input, origin) => {
    expect(instanceUrlSchema.parse(input)).toBe(origin);
  });
  it.each([
    ['http://infisical.example.com', /https/],
    ['ftp://x.example.com', /https/],
    ['https://user:pw@x.example.com', /user name/],
    ['https://', /web address/],
    ['', /address/],
  ])('rejects %s', (input, message) => {
    const r = instanceUrlSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(message);
  });
});

describe('connectionNameFor (settings template)', () => {
  it.each([
    ['Contoso', 'azure-devops-{org}', 'azure-devops-contoso'],
    ['Contoso', '{org}-ado', 'contoso-ado'],
    ['Contoso', 'Prod {org}!!', 'prod-contoso'],
    ['x'.repeat(50), 'azure-devops-{org}', `azure-devops-${'x'.repeat(19)}`],
    ['a', '---', 'azure-devops'],
  ])('%s with %s → %s', (org, template, expected) => {
    const name = connectionNameFor(org, template);
    expect(name).toBe(expected);
    expect(connectionNameSchema.safeParse(name).success).toBe(true);
  });
});

describe('nameTemplateSchema (the options page’s connection-name template)', () => {
  it.each(['azure-devops-{org}', '{org}', 'ado-{org}-prod', ' infisical-{org} '])('accepts %j', (v) => {
    const parsed = nameTemplateSchema.parse(v);
    expect(connectionNameSchema.safeParse(connectionNameFor('contoso', parsed)).success).toBe(true);
  });
  it.each([
    ['', /Enter a connection name template/],
    ['azure-devops', /Include \{org\}/],
    ['Azure DevOps {org}', /lowercase letters/],
    ['ado--{org}', /lowercase letters/],
    ['ado_{org}', /lowercase letters/],
    ['-{org}', /lowercase letters/],
    ['a-very-long-prefix-for-every-{org}', /32 characters/],
  ])('rejects %j with a sentence', (v, message) => {
    const r = nameTemplateSchema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(message);
  });
});

describe('droppedFromUrl (what saving the origin leaves out)', () => {
  it.each([
    ['https://infisical.example.com/app/', '/app/'],
    ['infisical.example.com/app', '/app'],
    ['https://infisical.example.com/?x=1#y', '?x=1#y'],
    ['https://infisical.example.com/', null],
    ['https://infisical.example.com', null],
    ['not a url at all', null],
  ])('%j → %j', (typed, dropped) => {
    expect(droppedFromUrl(typed)).toBe(dropped);
  });
});
