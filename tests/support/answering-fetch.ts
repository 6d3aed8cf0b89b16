import type { FetchLike } from '../../utils/http/request';

/** A fetch that answers `responses` in order and records each call (its URL and init), for client tests. */
export function answeringFetch(responses: Response[]) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ url, ...(init ? { init } : {}) });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next;
  };
  return { fetchFn, calls };
}
