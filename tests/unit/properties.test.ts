import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdoUrl } from '@/utils/azure-devops/page-url';
import { patTokenResultSchema, projectsResponseSchema } from '@/utils/azure-devops/schemas';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { BoundaryError } from '@/utils/errors/boundary-error';
import { redact } from '@/utils/errors/redact';
import { connectRequestSchema } from '@/utils/flow/connect-request';
import { flowStateSchema } from '@/utils/flow/flow-state';
import { createInfisicalEndpoints, givenToken } from '@/utils/infisical/api';
import { appConnectionResponseSchema, tokenResponseSchema } from '@/utils/infisical/schemas';
import { connectionNameFor, connectionNameSchema, descriptionSchema, instanceUrlSchema, orgNameSchema, tenantIdSchema } from '@/utils/inputs';
import { errorFromResponseUrl } from '@/utils/microsoft/aadsts';
import { settingsSchema } from '@/utils/storage/settings';

/**
 * Bad input, generated (docs/reliability.md): every parser and schema, on arbitrary input, either accepts a
 * value that obeys its rule or rejects it with a sentence; nothing throws. RUNS × 15 properties
 * ≥ 10,000 cases per `npm test`.
 */
const RUNS = 800;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (property: fc.IRawProperty<any, boolean>) => fc.assert(property, { numRuns: RUNS });
const sentence = (message: string | undefined) => typeof message === 'string' && message.length > 8 && /[.)]$/.test(message.trim());
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), fc.domain(), fc.uuid(), fc.constant(''));

/** Any body a server could send: JSON of any shape, or any text. */
const anyBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);

describe('user input', () => {
  it('tenant: accepted values are lowercase GUIDs or domains; rejections are sentences', () =>
    run(
      fc.property(text, (value) => {
        const r = tenantIdSchema.safeParse(value);
        if (r.success) expect(r.data).toMatch(/^([0-9a-f-]{36}|[a-z0-9.-]+)$/);
        else expect(sentence(r.error.issues[0]?.message)).toBe(true);
      }),
    ));

  it('tenant: every GUID and domain is accepted', () =>
    run(
      fc.property(fc.oneof(fc.uuid(), fc.domain()), (value) => {
        expect(tenantIdSchema.safeParse(value).success, value).toBe(true);
      }),
    ));

  it('organization: accepted names follow docs/contracts.md B.5; rejections are sentences', () =>
    run(
      fc.property(text, (value) => {
        const r = orgNameSchema.safeParse(value);
        if (r.success) expect(r.data).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/);
        else expect(sentence(r.error.issues[0]?.message)).toBe(true);
      }),
    ));

  it('connection names from any org and template are valid Infisical slugs', () =>
    run(
      fc.property(fc.string(), fc.string(), (org, template) => {
        expect(connectionNameSchema.safeParse(connectionNameFor(org, template)).success).toBe(true);
        expect(connectionNameSchema.safeParse(connectionNameFor(org)).success).toBe(true);
      }),
    ));

  it('connection name and description: accepted or a sentence', () =>
    run(
      fc.property(text, (value) => {
        for (const schema of [connectionNameSchema, descriptionSchema]) {
          const r = schema.safeParse(value);
          if (!r.success) expect(sentence(r.error.issues[0]?.message)).toBe(true);
        }
      }),
    ));

  it('Infisical URL: accepted values are https origins (http only for localhost)', () =>
    run(
      fc.property(fc.oneof(text, fc.webUrl({ withQueryParameters: true, withFragments: true })), (value) => {
        const r = instanceUrlSchema.safeParse(value);
        if (!r.success) {
          expect(sentence(r.error.issues[0]?.message)).toBe(true);
          return;
        }
        const url = new URL(r.data);
        expect(url.origin).toBe(r.data);
        expect(url.protocol === 'https:' || ['localhost', '127.0.0.1'].includes(url.hostname)).toBe(true);
      }),
    ));

  it('Azure DevOps URLs: any org read from a URL is a valid org name', () =>
    run(
      fc.property(
        fc.oneof(
          text,
          fc.webUrl(),
          fc.string().map((s) => `https://dev.azure.com/${s}`),
          fc.string().map((s) => `https://${s}.visualstudio.com/x`),
        ),
        (value) => {
          const page = parseAdoUrl(value);
          if (page) expect(orgNameSchema.safeParse(page.org).success).toBe(true);
        },
      ),
    ));

  it('connect requests: arbitrary objects are accepted only when every field is valid', () =>
    run(
      fc.property(
        fc.record(
          {
            method: fc.constantFrom('microsoft', 'pat', 'service-principal', 'infisical-oauth', 'x'),
            org: text,
            tenant: text,
            connectionName: text,
            pat: text,
            patLifetimeDays: fc.integer(),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          const r = connectRequestSchema.safeParse(input);
          if (r.success) expect(orgNameSchema.safeParse(r.data.org).success && connectionNameSchema.safeParse(r.data.connectionName).success).toBe(true);
        },
      ),
    ));
});

describe('stored data and server responses', () => {
  it('every response and storage schema answers arbitrary JSON without throwing', () =>
    run(
      fc.property(fc.jsonValue(), (value) => {
        for (const schema of [patTokenResultSchema, projectsResponseSchema, appConnectionResponseSchema, tokenResponseSchema, flowStateSchema, settingsSchema]) {
          expect(() => schema.safeParse(value)).not.toThrow();
        }
      }),
    ));

  it('the Infisical client turns any response body into a value or an InfisicalError', () =>
    run(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), anyBody, async (status, body) => {
        const infisical = createInfisicalEndpoints({
          instanceUrl: 'https://i.example',
          fetch: async () => new Response(status === 204 ? null : body, { status: status === 204 ? 200 : status }),
        });
        await infisical
          .appConnectionsWith(givenToken('t'))
          .create({ name: 'n', method: 'access-token', credentials: {} })
          .then(
            (connection) => expect(connection.app).toBe('azure-devops'),
            (error) => expect(error).toBeInstanceOf(BoundaryError),
          );
      }),
    ));

  it('the Azure DevOps client turns any PAT response into a PAT or an AzureDevOpsError', () =>
    run(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), anyBody, async (status, body) => {
        const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: async () => new Response(body, { status }) });
        await ado.createPat('contoso', 'b', { displayName: 'd', scope: 's', validTo: 'v' }).then(
          (pat) => expect(pat.token.length).toBeGreaterThan(0),
          (error) => expect(error).toBeInstanceOf(BoundaryError),
        );
      }),
    ));

  it('any redirect back from Microsoft is read without throwing', () =>
    run(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.boolean(), (params, fragment) => {
        const query = new URLSearchParams(params).toString();
        expect(() => errorFromResponseUrl(`https://id.chromiumapp.org/${fragment ? '#' : '?'}${query}`)).not.toThrow();
      }),
    ));
});

describe('secrets', () => {
  it('redact removes any JWT or PAT-shaped token from any text', () =>
    run(
      fc.property(
        fc.string(),
        fc.string(),
        fc.oneof(
          fc.stringMatching(/^[a-z2-7]{52}$/),
          fc.tuple(fc.base64String({ minLength: 8 }), fc.base64String({ minLength: 8 })).map(([a, b]) => `eyJ${a.replace(/[+/=]/g, 'x')}.${b.replace(/[+/=]/g, 'y')}.sig`),
        ),
        (before, after, token) => {
          expect(redact(`${before} ${token} ${after}`)).not.toContain(token);
        },
      ),
    ));

  it('redact removes any listed secret', () =>
    run(
      fc.property(fc.string(), fc.string({ minLength: 6 }), (text, secret) => {
        expect(redact(`${text}${secret}${text}`, [secret])).not.toContain(secret);
      }),
    ));
});
