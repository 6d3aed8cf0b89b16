/**
 * Every external base URL in one typed place, with the public-cloud defaults.
 * The shipped build always uses these; tests point the browser at the local sandbox under the same
 * hostnames (docs/browsers.md "Pointing the real, unmodified build at local servers").
 */
export interface Endpoints {
  /** Microsoft Entra authority host (docs/contracts.md C.1). */
  microsoftAuthority: string;
  /** Azure DevOps organisation host: projects, tenant discovery (B.3, B.4). */
  azureDevOps: string;
  /** PAT Lifecycle API host (B.1). */
  azureDevOpsVssps: string;
  /** Profile and accounts host (B.3). */
  azureDevOpsProfile: string;
}

export const PUBLIC_CLOUD: Endpoints = {
  microsoftAuthority: 'https://login.microsoftonline.com',
  azureDevOps: 'https://dev.azure.com',
  azureDevOpsVssps: 'https://vssps.dev.azure.com',
  azureDevOpsProfile: 'https://app.vssps.visualstudio.com',
};

/** Azure DevOps as an Entra resource (docs/contracts.md C.5). */
export const AZURE_DEVOPS_RESOURCE_ID = '499b84ac-1321-427f-aa17-267ca6975798';
export const AZURE_DEVOPS_SCOPE = `${AZURE_DEVOPS_RESOURCE_ID}/.default`;

/**
 * The least-privilege PAT scopes Infisical documents for its Azure DevOps connection
 * (docs/contracts.md B.2): variable groups manage, release read/write, project read, service endpoints.
 */
export const INFISICAL_PAT_SCOPES = ['vso.variablegroups_manage', 'vso.release_execute', 'vso.project', 'vso.serviceendpoint_query'] as const;

/** The all-zero tenant Azure DevOps reports for Microsoft-account organisations (B.4). */
export const MSA_TENANT_ID = '00000000-0000-0000-0000-000000000000';
