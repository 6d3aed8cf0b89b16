// PAT scope names accepted by the fake PAT Lifecycle API (MicrosoftDocs/azure-devops-docs/docs/integrate/includes/scopes.md, see
// docs/contracts.md B.2). Anything else in a create/update request gives patTokenError "invalidScope".
const SCOPES = `app_token vso.advsec vso.advsec_write vso.advsec_manage vso.agentpools vso.agentpools_manage
vso.analytics vso.auditlog vso.auditstreams_manage vso.build vso.build_execute vso.code vso.code_write
vso.code_manage vso.code_full vso.code_status vso.connected_server vso.dashboards vso.dashboards_manage
vso.entitlements vso.environment_manage vso.extension vso.extension_manage vso.extension.data
vso.extension.data_write vso.graph vso.graph_manage vso.identity vso.identity_manage vso.machinegroup_manage
vso.memberentitlementmanagement vso.memberentitlementmanagement_write vso.notification vso.notification_write
vso.notification_manage vso.notification_diagnostics vso.packaging vso.packaging_write vso.packaging_manage
vso.pipelineresources_use vso.pipelineresources_manage vso.profile vso.profile_write vso.project
vso.project_write vso.project_manage vso.release vso.release_execute vso.release_manage vso.securefiles_read
vso.securefiles_write vso.securefiles_manage vso.security_manage vso.serviceendpoint vso.serviceendpoint_query
vso.serviceendpoint_manage vso.symbols vso.symbols_write vso.symbols_manage vso.taskgroups_read
vso.taskgroups_write vso.taskgroups_manage vso.test vso.test_write vso.threads_full vso.tokenadministration
vso.tokens vso.variablegroups_read vso.variablegroups_write vso.variablegroups_manage vso.wiki vso.wiki_write
vso.work vso.work_write vso.work_full`;

export const KNOWN_PAT_SCOPES: ReadonlySet<string> = new Set(SCOPES.split(/\s+/).filter(Boolean));

/** Scope strings are space-separated (docs/contracts.md B.1); every entry must be a known scope. */
export function isValidScope(scope: unknown): scope is string {
  if (typeof scope !== 'string' || !scope.trim()) return false;
  return scope
    .trim()
    .split(/\s+/)
    .every((s) => KNOWN_PAT_SCOPES.has(s.toLowerCase()));
}
