// Settings are validated wherever they enter (file, CLI, settings:set): https servers only (plain http
// only to a loopback address, for demo mode and tests), sane timeouts and sizes, PEM CAs (issue 11).
import { describe, expect, it } from 'vitest';
import { SettingsSchema, defaultSettings, isAllowedServiceUrl, isLoopbackHost } from '../../shared/settings.js';

const ok = (patch: Record<string, unknown>) => SettingsSchema.safeParse({ ...defaultSettings(), ...patch }).success;

describe('settings validation', () => {
  it.each([
    ['https://wsg.t-mobile.com/phone20/mStoreRelay', true],
    ['HTTPS://Relay.Example:8443/x', true],
    ['http://127.0.0.1:8080/relay', true],
    ['http://localhost:1/', true],
    ['http://[::1]:9/', true],
    ['http://wsg.t-mobile.com/phone20/mStoreRelay', false],
    ['http://127.0.0.1.evil.example/', false],
    ['http://evil.example#@127.0.0.1/', false],
    ['http://127.0.0.1@evil.example/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['ftp://example.com/', false],
    ['https:evil.example', false],
    ['not a url', false],
  ])('server %j allowed: %s', (url, allowed) => {
    expect(ok({ server: url })).toBe(allowed);
    expect(ok({ bsf: url })).toBe(allowed);
  });

  it('validates the URL as stored (a tab, which URL parsers drop, cannot hide the host)', () => {
    expect(SettingsSchema.parse({ server: 'http://local\thost/' }).server).toBe('http://localhost/');
    expect(ok({ server: 'http://127.0.0.1\t.evil.example/' })).toBe(false);
    expect(isAllowedServiceUrl('http://local\thost/')).toBe(false);
  });

  it('keeps the BSF keywords', () => {
    expect(ok({ bsf: 'derive' })).toBe(true);
    expect(ok({ bsf: 'default' })).toBe(true);
  });

  it('bounds timeouts and the response cap', () => {
    expect(ok({ connectTimeoutMs: 1 })).toBe(false);
    expect(ok({ readTimeoutMs: 1 })).toBe(false);
    expect(ok({ connectTimeoutMs: 3_600_000 })).toBe(false);
    expect(ok({ maxResponseBytes: 1 })).toBe(false);
    expect(ok({ maxResponseBytes: 2 ** 40 })).toBe(false);
    expect(ok({ connectTimeoutMs: 5_000, readTimeoutMs: 30_000, maxResponseBytes: 8 * 1024 * 1024 })).toBe(true);
  });

  it('takes only PEM certificates as extra CAs, and a bounded number', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(ok({ caPem: [pem] })).toBe(true);
    expect(ok({ caPem: ['hello'] })).toBe(false);
    expect(ok({ caPem: Array.from({ length: 17 }, () => pem) })).toBe(false);
  });

  it('an optional NAF host override is a host name or a bare IPv6 address, nothing else', () => {
    for (const h of ['wsg.t-mobile.com', 'localhost', '127.0.0.1', '::1', 'fe80::1']) expect(ok({ nafFqdn: h }), h).toBe(true);
    for (const h of ['', '3GPP-bootstrapping@wsg.t-mobile.com', 'wsg.t-mobile.com:443', 'https://wsg.t-mobile.com', '[::1]', 'a b', `${'a'.repeat(64)}.com`, 'a.'.repeat(130)]) {
      expect(ok({ nafFqdn: h }), h).toBe(false);
    }
    expect(ok({})).toBe(true);
  });

  it('loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['localhost.', '10.0.0.1', '[::2]', '127.0.0.1.x'].some(isLoopbackHost)).toBe(false);
    expect(isAllowedServiceUrl(`https://${'a'.repeat(100_000)}`)).toBe(true); // one pass; the schema caps the length
    expect(ok({ server: `https://${'a'.repeat(3000)}.example/` })).toBe(false);
  });
});
