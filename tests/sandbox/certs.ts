// Test CA and server certificate for the real hostnames (docs/browsers.md, "Pointing the real,
// unmodified build at local servers"). Made with the openssl CLI, reused while valid. Generation
// happens in a temporary folder that is renamed into place, so parallel test workers never see a
// half-written set (the loser of the race uses the winner's files).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ELSEWHERE_HOST, SANDBOX_HOSTS } from './fixtures.ts';

export interface SandboxCerts {
  caPem: string;
  caPath: string;
  keyPem: string;
  certPem: string;
}

const DNS_NAMES = [...SANDBOX_HOSTS, ELSEWHERE_HOST, '*.visualstudio.com', 'localhost'];
const RENEW_BEFORE_MS = 14 * 86_400_000;

function load(dir: string): SandboxCerts | null {
  try {
    const caPath = path.join(dir, 'ca.pem');
    const certs = {
      caPem: fs.readFileSync(caPath, 'utf8'),
      caPath,
      keyPem: fs.readFileSync(path.join(dir, 'server.key'), 'utf8'),
      certPem: fs.readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    };
    const ca = new X509Certificate(certs.caPem);
    const cert = new X509Certificate(certs.certPem);
    const fresh = (c: X509Certificate) => Date.parse(c.validTo) - Date.now() > RENEW_BEFORE_MS;
    const sans = cert.subjectAltName ?? '';
    const coversAll = DNS_NAMES.every((n) => sans.includes(`DNS:${n}`)) && sans.includes('IP Address:127.0.0.1');
    return fresh(ca) && fresh(cert) && coversAll && cert.verify(ca.publicKey) ? certs : null;
  } catch {
    return null;
  }
}

function generate(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // CA: basicConstraints CA:TRUE and keyCertSign so NSS (Chromium, Firefox) accepts it as an issuer.
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '825',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Infisical Connect Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=Infisical Connect sandbox');
  const san = [...DNS_NAMES.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${san}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
    ].join('\n'),
  );
  // 397 days: within every browser's limit for server certificates.
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${Date.now().toString(16)}`,
    '-days',
    '397',
    '-sha256',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
}

/** Returns the sandbox CA and server key pair, creating them in `dir` when missing or expiring. */
export function ensureCerts(dir = '.sandbox/certs'): SandboxCerts {
  const target = path.resolve(dir);
  const existing = load(target);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  try {
    generate(tmp);
    if (fs.existsSync(target)) {
      const again = load(target); // another worker may have just finished
      if (again) return again;
      fs.renameSync(target, old);
    }
    try {
      fs.renameSync(tmp, target);
    } catch {
      const winner = load(target);
      if (winner) return winner;
      throw new Error(`Could not install sandbox certificates in ${target}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
  const made = load(target);
  if (!made) throw new Error(`Generated sandbox certificates in ${target} do not verify`);
  return made;
}
