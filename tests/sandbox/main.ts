// Standalone sandbox: `npx tsx tests/sandbox/main.ts [--port N] [--latency MS] [--cert-dir DIR]`.
// Prints what a person needs to point a browser at it, then serves until Ctrl-C.
import { parseArgs } from 'node:util';
import * as F from './fixtures.ts';
import { startSandbox } from './server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string' }, latency: { type: 'string' }, 'cert-dir': { type: 'string' } },
});

const sandbox = await startSandbox({
  port: values.port ? Number(values.port) : 0,
  latencyMs: values.latency ? Number(values.latency) : 0,
  ...(values['cert-dir'] ? { certDir: values['cert-dir'] } : {}),
});
const target = `127.0.0.1:${sandbox.port}`;
const resolverRules = [...sandbox.hosts, '*.visualstudio.com'].map((h) => `MAP ${h} ${target}`).join(', ');

console.log(`Infisical Connect sandbox listening on https://${target}
Hosts: ${sandbox.hosts.join(', ')} (and *.visualstudio.com)
CA certificate: ${sandbox.caPath}
Admin API: https://localhost:${sandbox.port}/__sandbox/state (see tests/sandbox/README.md)

Chromium:
  --host-resolver-rules="${resolverRules}"
  trust the CA: certutil -d sql:$HOME/.pki/nssdb -A -n infisical-connect-sandbox -t "C,," -i ${sandbox.caPath}
  (or --ignore-certificate-errors)

Firefox prefs:
  network.dns.localDomains = "${sandbox.hosts.join(',')}"
  network.trr.mode = 5
  network.socket.forcePort = "443=${sandbox.port}"
  trust the CA in the profile's cert9.db (certutil -d sql:<profile> -A -n infisical-connect-sandbox -t "C,," -i ${sandbox.caPath})

Test credentials:
  Entra tenant       ${F.TENANT.id} (${F.TENANT.domain}), user ${F.ADA.upn}
  Extension app      ${F.EXTENSION_APP.clientId}
                     redirects ${F.EXTENSION_APP.chromiumRedirect}, ${F.EXTENSION_APP.firefoxRedirect}
  Infisical OAuth    ${F.INFISICAL_OAUTH_APP.clientId}
  Service principal  ${F.SERVICE_PRINCIPAL.clientId} / ${F.SERVICE_PRINCIPAL.clientSecret}
  Azure DevOps orgs  ${F.ORGS.contoso.name} (Ada is a member), ${F.ORGS.fabrikamMsa.name} (MSA), ${F.ORGS.northwind.name} (Ada is not a member)
  Pasted PAT         ${F.SEEDED_PATS.contosoPasted.token} (contoso)
  Infisical          ${F.INFISICAL.siteUrl}
                     Universal Auth clientId ${F.INFISICAL.clientId}
                     clientSecret ${F.INFISICAL.clientSecret}
Latency: ${sandbox.latencyMs} ms. Press Ctrl-C to stop.`);

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
