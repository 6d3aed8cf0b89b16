import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from '../../utils/http/request';

/**
 * A fetch for Node that sends every https request to the sandbox (127.0.0.1:<port>) while keeping
 * the real hostname for SNI and the Host header, and trusts only the sandbox CA: the same thing the
 * browsers do with host-resolver rules, so unit tests can run the real clients against the fakes.
 */
export function fetchViaSandbox(options: { port: number; caPem: string; origin?: string }): FetchLike {
  const dispatcher = new Agent({
    connect: (opts, callback) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: options.port,
        servername: opts.servername || opts.hostname,
        ca: options.caPem,
      });
      socket.once('secureConnect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
      return socket;
    },
  });
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (options.origin && !headers.has('Origin')) headers.set('Origin', options.origin);
    return undiciFetch(input, { ...(init as object), headers, dispatcher } as never) as unknown as Promise<Response>;
  };
}
