import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../../shared/bytes.js';
import { buildBootstrappingInfo, MAX_BOOTSTRAPPING_INFO_BYTES, parseBootstrappingInfo, parseLifetime } from '../../../../main/protocol/gba/bootstrapping-info.js';
import { GbaFormatError, type GbaFormatReason } from '../../../../main/protocol/gba/format-error.js';

const BTID = 'I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc260.mcc310.pub.3gppnetwork.org';

function doc(inner: string, root = '<BootstrappingInfo xmlns="uri:3gpp-gba">', close = '</BootstrappingInfo>'): Uint8Array {
  return utf8(`<?xml version="1.0" encoding="UTF-8"?>\n${root}${inner}${close}`);
}

describe('parseBootstrappingInfo (TS 24.109 Annex C)', () => {
  it('parses the TS 24.109 form', () => {
    const info = parseBootstrappingInfo(doc(`\n  <btid>${BTID}</btid>\n  <lifetime>2030-01-01T00:00:00Z</lifetime>\n`));
    expect(info).toEqual({ btid: BTID, lifetime: '2030-01-01T00:00:00Z', expiresAt: Date.UTC(2030, 0, 1) });
  });
  it('round-trips what the simulated BSF builds', () => {
    const info = parseBootstrappingInfo(utf8(buildBootstrappingInfo(BTID, '2031-06-30T23:59:59.5+02:00')));
    expect(info.btid).toBe(BTID);
    expect(info.expiresAt).toBe(Date.UTC(2031, 5, 30, 21, 59, 59, 500));
  });
  it('accepts a prefixed namespace, either child order, and extension elements of other namespaces', () => {
    const info = parseBootstrappingInfo(
      doc(`<g:lifetime>2030-01-01T00:00:00-05:00</g:lifetime><o:extra xmlns:o="urn:other">x</o:extra><g:btid>${BTID}</g:btid>`, '<g:BootstrappingInfo xmlns:g="uri:3gpp-gba">', '</g:BootstrappingInfo>'),
    );
    expect(info.expiresAt).toBe(Date.UTC(2030, 0, 1, 5));
  });
  it('accepts a document without XML declaration', () => {
    expect(parseBootstrappingInfo(utf8(`<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>${BTID}</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>`)).btid).toBe(BTID);
  });

  const ok = `<btid>${BTID}</btid><lifetime>2030-01-01T00:00:00Z</lifetime>`;
  const rows: Array<[string, Uint8Array, GbaFormatReason]> = [
    ['empty body', new Uint8Array(), 'xml'],
    ['not UTF-8', Uint8Array.of(0x3c, 0xff, 0xfe, 0x3e), 'xml'],
    ['not XML', utf8('btid=abc'), 'xml'],
    ['truncated', doc(ok).slice(0, 60), 'xml'],
    ['DOCTYPE', utf8(`<!DOCTYPE BootstrappingInfo [<!ENTITY x "y">]><BootstrappingInfo xmlns="uri:3gpp-gba">${ok}</BootstrappingInfo>`), 'xml'],
    ['billion laughs', utf8(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><BootstrappingInfo xmlns="uri:3gpp-gba"><btid>&b;</btid></BootstrappingInfo>`), 'xml'],
    ['no namespace', doc(ok, '<BootstrappingInfo>'), 'xml'],
    ['wrong namespace', doc(ok, '<BootstrappingInfo xmlns="uri:3gpp-gba-x">'), 'xml'],
    ['undeclared prefix', doc(ok, '<g:BootstrappingInfo>', '</g:BootstrappingInfo>'), 'xml'],
    ['wrong root', doc(ok, '<Bootstrapping xmlns="uri:3gpp-gba">', '</Bootstrapping>'), 'xml'],
    ['missing btid', doc('<lifetime>2030-01-01T00:00:00Z</lifetime>'), 'xml'],
    ['missing lifetime', doc(`<btid>${BTID}</btid>`), 'xml'],
    ['duplicate btid', doc(`<btid>${BTID}</btid>${ok}`), 'xml'],
    ['duplicate lifetime', doc(`${ok}<lifetime>2030-01-01T00:00:00Z</lifetime>`), 'xml'],
    ['unknown element in the namespace', doc(`${ok}<ksLifetime>1</ksLifetime>`), 'xml'],
    ['element inside btid', doc(`<btid><b>${BTID}</b></btid><lifetime>2030-01-01T00:00:00Z</lifetime>`), 'xml'],
    ['text in the root', doc(`hello${ok}`), 'xml'],
    ['two roots', utf8(`<BootstrappingInfo xmlns="uri:3gpp-gba">${ok}</BootstrappingInfo><BootstrappingInfo xmlns="uri:3gpp-gba">${ok}</BootstrappingInfo>`), 'xml'],
    ['processing instruction', doc(`<?evil x?>${ok}`), 'xml'],
    ['deeply nested extension elements', doc(`${ok}<o:x xmlns:o="urn:o">${'<o:a>'.repeat(1000)}${'</o:a>'.repeat(1000)}</o:x>`), 'xml'],
    ['oversized', doc(`${ok}<o:x xmlns:o="urn:o">${'a'.repeat(MAX_BOOTSTRAPPING_INFO_BYTES)}</o:x>`), 'xml'],
    ['1 MB of elements', doc(`${ok}<o:x xmlns:o="urn:o">${'<o:a/>'.repeat((1 << 20) / 6)}</o:x>`), 'xml'],
    ['1 MB of one unterminated tag', doc(`${ok}<o:x a="${'a'.repeat(1 << 20)}`), 'xml'],
    ['empty btid', doc('<btid></btid><lifetime>2030-01-01T00:00:00Z</lifetime>'), 'btid'],
    ['btid with a quote', doc('<btid>ab"c@bsf.example.org</btid><lifetime>2030-01-01T00:00:00Z</lifetime>'), 'btid'],
    ['btid with an entity', doc('<btid>abc&amp;@bsf.example.org</btid><lifetime>2030-01-01T00:00:00Z</lifetime>'), 'btid'],
    ['btid without domain', doc('<btid>I1U8vpY3qJ0hiuZNrke/NQ==</btid><lifetime>2030-01-01T00:00:00Z</lifetime>'), 'btid'],
    ['lifetime without zone', doc(`<btid>${BTID}</btid><lifetime>2030-01-01T00:00:00</lifetime>`), 'lifetime'],
    ['lifetime not a date', doc(`<btid>${BTID}</btid><lifetime>tomorrow</lifetime>`), 'lifetime'],
    ['lifetime 30 February', doc(`<btid>${BTID}</btid><lifetime>2030-02-30T00:00:00Z</lifetime>`), 'lifetime'],
    ['lifetime hour 24', doc(`<btid>${BTID}</btid><lifetime>2030-01-01T24:00:00Z</lifetime>`), 'lifetime'],
  ];
  for (const [name, body, reason] of rows) {
    it(`rejects: ${name}`, () => {
      let caught: unknown;
      try {
        parseBootstrappingInfo(body);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(GbaFormatError);
      expect((caught as GbaFormatError).reason).toBe(reason);
    });
  }

  it('parseLifetime handles offsets and fractions', () => {
    expect(parseLifetime('2030-01-01T00:00:00.250Z')).toBe(Date.UTC(2030, 0, 1, 0, 0, 0, 250));
    expect(parseLifetime('2030-01-01T01:30:00+01:30')).toBe(Date.UTC(2030, 0, 1));
    expect(() => parseLifetime('2030-01-01T00:00:00+15:00')).toThrow(GbaFormatError);
  });
});
