import type { ConnectRequest, Method } from './connect-request';
import { connectWithInfisicalOAuth } from './connect-with-infisical-oauth';
import { connectWithMicrosoft } from './connect-with-microsoft';
import { connectWithPat } from './connect-with-pat';
import { connectWithServicePrincipal } from './connect-with-service-principal';
import type { ConnectDeps, ConnectOutcome } from './deps';
import type { StepId } from './flow-state';

/** The steps each method shows, in order. */
export const METHOD_STEPS: Record<Method, StepId[]> = {
  microsoft: ['sign-in', 'check-access', 'create-token', 'save'],
  'infisical-oauth': ['oauth-consent', 'save'],
  pat: ['check-access', 'save'],
  'service-principal': ['save'],
};

/** Run the flow of the request's method, which takes its part of `deps`. */
export function runConnect(request: ConnectRequest, deps: ConnectDeps): Promise<ConnectOutcome> {
  switch (request.method) {
    case 'microsoft':
      return connectWithMicrosoft(request, deps);
    case 'infisical-oauth':
      return connectWithInfisicalOAuth(request, deps);
    case 'pat':
      return connectWithPat(request, deps);
    case 'service-principal':
      return connectWithServicePrincipal(request, deps);
  }
}
