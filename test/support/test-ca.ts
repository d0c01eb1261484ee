// A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, made with the
// openssl CLI in a temporary directory, for HTTPS tests (the adapter always verifies TLS; tests trust
// this CA through the caPem setting, exactly as a user would with --ca).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material of one test CA and the server certificate it signed. */
export interface TestCa {
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Path of the CA PEM file (for --ca). */
  caFile: string;
  dir: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'code' in e && e.code === 'ENOENT') {
      throw new Error('openssl is not installed: install it (Debian: apt-get install -y openssl) to run the HTTPS tests');
    }
    throw e;
  }
}

/** Creates the CA and a server certificate (SAN: IP 127.0.0.1, DNS localhost), valid for one day. */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'vvm-test-ca-'));
  try {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=vvm-desk test CA'], dir);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf'], dir);
    return {
      caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      certPem: readFileSync(join(dir, 'server.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'server.key'), 'utf8'),
      caFile: join(dir, 'ca.pem'),
      dir,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
