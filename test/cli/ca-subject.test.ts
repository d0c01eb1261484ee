// --ca shows what it trusts: the subject, issuer and fingerprint of each certificate, on stderr (issue 11).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCli } from '../support/cli-process.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

let ca: TestCa;
let demoDir = '';
beforeAll(() => {
  requireBuilt(['main/cli/main.ts', 'main/protocol/ca-pem.ts']);
  ca = createTestCa();
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
});
afterAll(() => {
  ca.cleanup();
  rmSync(demoDir, { recursive: true, force: true });
});

describe('--ca', () => {
  it('names the certificate it is about to trust', async () => {
    const r = await runCli(['--demo', '--ca', ca.caFile, '--json', 'gba', 'bootstrap'], { VVM_DEMO_DIR: demoDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`trusting the extra CA certificate in ${ca.caFile}:`);
    expect(r.stderr).toMatch(/CN=vvm-desk test CA \(issuer CN=vvm-desk test CA; valid .* SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\)/);
  });
});
