import { describe, expect, it } from 'vitest';
import { AzureDevOpsError } from '@/utils/errors/boundary-error';
import { z } from 'zod/mini';
import { READ_RETRY, parseJson, send, type FetchLike } from '@/utils/http/request';
import { opaqueRedirect } from '../support/opaque-redirect';

/**
 * Retries at the HTTP edge (docs/reliability.md): reads retry with backoff and a bound, writes never retry.
 * A scripted fetch answers each attempt in turn and records when it was called.
 */
function scripted(...answers: (number | 'reset' | { status: number; retryAfter: string })[]) {
  const calls: { method: string; at: number; credentials?: RequestCredentials }[] = [];
  const started = Date.now();
  const fetchFn: FetchLike = async (_url, init) => {
    calls.push({ method: init?.method ?? 'GET', at: Date.now() - started, credentials: init?.credentials });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (answer === 'reset') throw new TypeError('Failed to fetch');
    const { status, retryAfter } = typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
    return new Response(JSON.stringify({ status }), { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
  };
  return { fetchFn, calls };
}

const makeError = (code: string, message: string, options?: object) => new AzureDevOpsError(code, message, options);
const URL_ = 'https://dev.azure.com/contoso/_apis/projects';

describe('send: retries', () => {
  it('retries a read after 503 and a reset, backing off, and returns the success', async () => {
    const { fetchFn, calls } = scripted(503, 'reset', 200);
    const response = await send(fetchFn, URL_, {}, makeError);
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
    const gaps = [calls[1]!.at - calls[0]!.at, calls[2]!.at - calls[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(READ_RETRY.firstDelayMs - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(READ_RETRY.firstDelayMs * READ_RETRY.factor - 5);
  });

  it('gives up after the bound: the last answer (or error) is what the caller gets', async () => {
    const busy = scripted(503);
    expect((await send(busy.fetchFn, URL_, {}, makeError)).status).toBe(503);
    expect(busy.calls).toHaveLength(READ_RETRY.attempts);

    const down = scripted('reset');
    await expect(send(down.fetchFn, URL_, {}, makeError)).rejects.toMatchObject({ code: 'network', message: 'Could not reach dev.azure.com.' });
    expect(down.calls).toHaveLength(READ_RETRY.attempts);
  });

  it('never retries a write, whatever the failure', async () => {
    for (const answer of [503, 'reset', 429] as const) {
      const { fetchFn, calls } = scripted(answer, 200);
      const attempt = send(fetchFn, URL_, { method: 'POST', body: '{}' }, makeError);
      if (answer === 'reset') await expect(attempt).rejects.toMatchObject({ code: 'network' });
      else expect((await attempt).status).toBe(answer);
      expect(calls.map((c) => c.method)).toEqual(['POST']);
    }
  });

  it('does not retry answers that will not change (400, 401, 403, 404, 500)', async () => {
    for (const status of [400, 401, 403, 404, 500]) {
      const { fetchFn, calls } = scripted(status, 200);
      expect((await send(fetchFn, URL_, {}, makeError)).status).toBe(status);
      expect(calls).toHaveLength(1);
    }
  });

  it('waits as long as Retry-After asks when that is short, and not at all when it is long', async () => {
    const short = scripted({ status: 429, retryAfter: '1' }, 200);
    expect((await send(short.fetchFn, URL_, {}, makeError)).status).toBe(200);
    expect(short.calls[1]!.at - short.calls[0]!.at).toBeGreaterThanOrEqual(995);

    const long = scripted({ status: 429, retryAfter: '30' }, 200);
    expect((await send(long.fetchFn, URL_, {}, makeError)).status).toBe(429);
    expect(long.calls).toHaveLength(1);
  });

  it('sends no cookies: only the credential the caller set', async () => {
    const { fetchFn, calls } = scripted(200);
    await send(fetchFn, URL_, { credentials: 'include' }, makeError);
    expect(calls[0]!.credentials).toBe('omit');
  });
});

describe('send: redirects are never followed', () => {
  function answering(answer: () => Response) {
    const inits: RequestInit[] = [];
    const fetchFn: FetchLike = async (_url, init) => {
      inits.push(init ?? {});
      return answer();
    };
    return { fetchFn, inits };
  }

  it.each([
    ['a browser’s opaque redirect', opaqueRedirect, 0],
    ['a 307 (Node’s fetch returns the 3xx itself)', () => new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/login' } }), 307],
    ['a 302', () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }), 302],
  ])('asks fetch not to follow, and turns %s into `redirected`, without retrying a read', async (_label, answer, status) => {
    for (const method of ['POST', 'GET']) {
      const { fetchFn, inits } = answering(answer);
      const sending = send(
        fetchFn,
        URL_,
        { method, redirect: 'follow', headers: { Authorization: 'Bearer secret-token' }, body: method === 'POST' ? '{"clientSecret":"s3cret"}' : null },
        makeError,
      );
      const error = await sending.catch((e: unknown) => e);
      expect(error).toMatchObject({ source: 'azure-devops', code: 'redirected', status, message: 'dev.azure.com answered with a redirect.' });
      expect(JSON.stringify(error)).not.toMatch(/secret-token|s3cret/);
      expect(inits.map((i) => i.redirect)).toEqual(['manual']);
    }
  });

  it('hands the redirect answer to a caller that asked for it with `redirect: manual` (tenant discovery)', async () => {
    const { fetchFn, inits } = answering(() => new Response(null, { status: 302, headers: { 'x-vss-resourcetenant': 't' } }));
    const response = await send(fetchFn, URL_, { redirect: 'manual' }, makeError);
    expect(response.status).toBe(302);
    expect(inits.map((i) => i.redirect)).toEqual(['manual']);
  });

  it('leaves other answers alone (200, 204, 400)', async () => {
    for (const status of [200, 204, 400]) {
      const { fetchFn } = answering(() => new Response(status === 204 ? null : '{}', { status }));
      expect((await send(fetchFn, URL_, { method: 'POST' }, makeError)).status).toBe(status);
    }
  });
});

describe('parseJson: a response in the wrong shape', () => {
  const schema = z.object({ count: z.number(), kind: z.enum(['a', 'b']), name: z.string().check(z.minLength(2)) });
  const parse = (body: string) => parseJson(new Response(body, { status: 200 }), schema, makeError);

  it.each([
    ['{"count":"3","kind":"a","name":"xy"}', 'count: expected number, received string'],
    ['{"count":3,"kind":"c","name":"xy"}', 'kind: expected one of "a", "b"'],
    ['{"count":3,"kind":"a","name":"x"}', 'name: too small: expected length >= 2'],
    ['[]', '(root): expected object, received array'],
    ['null', '(root): expected object, received null'],
  ])('%s → detail names the field and what was expected', async (body, detail) => {
    await expect(parse(body)).rejects.toMatchObject({ code: 'malformed-response', detail });
  });

  it('a body that is not JSON says so', async () => {
    await expect(parse('<html>sign in</html>')).rejects.toMatchObject({ code: 'malformed-response', message: expect.stringMatching(/not JSON/) });
  });
});
