// An extra CA is described (subject, issuer, validity, fingerprint) before it is trusted (issue 11).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caSummaryLines, describeCaPem } from '../../../main/protocol/ca-pem.js';
import { AppConfigError } from '../../../main/errors.js';
import { createTestCa, type TestCa } from '../../support/test-ca.js';

let ca: TestCa;
beforeAll(() => {
  ca = createTestCa();
});
afterAll(() => ca.cleanup());

describe('describeCaPem', () => {
  it('names the subject, issuer and SHA-256 fingerprint of each certificate, CA or not', () => {
    const [root, leaf] = describeCaPem(`${ca.caPem}\n${ca.certPem}`);
    expect(root).toMatchObject({ subject: 'CN=vvm-desk test CA', issuer: 'CN=vvm-desk test CA', isCa: true });
    expect(root?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(leaf).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=vvm-desk test CA', isCa: false });
    const lines = caSummaryLines(describeCaPem(ca.certPem));
    expect(lines[0]).toContain('CN=localhost');
    expect(lines[0]).toContain('NOT a CA certificate');
  });

  it('refuses text without a certificate, and a damaged one, as config.invalid', () => {
    for (const pem of ['', 'hello', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', `-----BEGIN CERTIFICATE-----${'A'.repeat(70_000)}-----END CERTIFICATE-----`]) {
      const e = (() => {
        try {
          describeCaPem(pem);
          return null;
        } catch (x) {
          return x;
        }
      })();
      expect(e instanceof AppConfigError && e.code).toBe('config.invalid');
    }
  });
});
