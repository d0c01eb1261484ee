// Fuzz: card data (BER-TLV, LV lists, FCP, command and response APDUs, AUTHENTICATE responses) and audio
// (AMR-NB, WAV, HTTP Range). Garbage ends in each parser's own typed error (MalformedError, AudioError,
// GbaFormatError...), never a TypeError or RangeError; encoders and parsers agree on every value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioError } from '../../main/errors.js';
import { decodeCommand, encodeCommand, parseResponse } from '../../main/protocol/apdu/command.js';
import { buildFcp, parseFcp } from '../../main/protocol/apdu/fcp.js';
import { MalformedError } from '../../main/protocol/apdu/malformed.js';
import { encodeLv, encodeTlv, parseLvs, parseOneTlv, parseTlvs } from '../../main/protocol/apdu/tlv.js';
import { parseAuthResponse, parseNafDerivationResponse } from '../../main/protocol/uicc/authenticate.js';
import { amrFrameSize, parseAmr } from '../../main/protocol/amr/amr-file.js';
import { scanAmr } from '../../main/protocol/mstore/amr-frames.js';
import { encodeWav, parseWav } from '../../main/protocol/wav.js';
import { answerRange, decideRange } from '../../main/protocol/wav-range.js';
import { FUZZ_TIMEOUT_MS, bytesWithPrefix, check, hostileString } from './fuzz-config.js';

function only(classes: (abstract new (...a: never[]) => unknown)[], f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (!classes.some((c) => e instanceof c)) throw e;
    return null;
  }
}

describe('fuzz: card data', () => {
  it('TLV, LV, FCP, APDUs and AUTHENTICATE answers: MalformedError or a value', () => {
    const tlvish = fc.oneof(fc.uint8Array({ maxLength: 300 }), bytesWithPrefix(Uint8Array.of(0x62), 300), bytesWithPrefix(Uint8Array.of(0xdb), 300), bytesWithPrefix(Uint8Array.of(0xdc), 300));
    check(
      fc.property(tlvish, fc.integer({ min: 0, max: 0xffff }), (b, sw) => {
        only([MalformedError], () => parseTlvs(b));
        only([MalformedError], () => parseOneTlv(b));
        only([MalformedError], () => parseLvs(b));
        only([MalformedError], () => parseFcp(b));
        only([MalformedError], () => decodeCommand(b));
        only([MalformedError], () => parseResponse(b));
        only([MalformedError], () => parseAuthResponse(b, sw, '3g'));
        only([MalformedError], () => parseAuthResponse(b, sw, 'gbaBootstrap'));
        only([MalformedError], () => parseNafDerivationResponse(b));
      }),
      5,
    );
  }, FUZZ_TIMEOUT_MS);

  it('TLV and LV encodings parse back', () => {
    const tag = fc.oneof(fc.integer({ min: 0x01, max: 0xfe }).filter((t) => (t & 0x1f) !== 0x1f), fc.integer({ min: 0x1f01, max: 0x1f7f }).map((t) => t | 0x5f00));
    check(
      fc.property(fc.array(fc.tuple(tag, fc.uint8Array({ maxLength: 300 })), { maxLength: 5 }), (items) => {
        const encoded = items.map(([t, v]) => encodeTlv(t, v));
        const parsed = parseTlvs(Uint8Array.from(encoded.flatMap((e) => [...e])));
        expect(parsed.map((p) => [p.tag, [...p.value]])).toEqual(items.map(([t, v]) => [t, [...v]]));
        const lvs = items.map(([, v]) => v.slice(0, 255));
        expect(parseLvs(Uint8Array.from(lvs.flatMap((v) => [...encodeLv(v)]))).map((v) => [...v])).toEqual(lvs.map((v) => [...v]));
      }),
    );
  }, FUZZ_TIMEOUT_MS);

  it('command APDUs of every case round-trip', () => {
    const apdu = fc.record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 255 }), { nil: undefined }),
      le: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
    });
    check(
      fc.property(apdu, (c) => {
        const back = decodeCommand(encodeCommand(c));
        expect({ ...back, data: back.data && [...back.data] }).toEqual({ ...c, data: c.data && [...c.data] });
      }),
    );
  }, FUZZ_TIMEOUT_MS);

  it('FCPs the simulated card builds parse back', () => {
    const input = fc.record({
      fid: fc.integer({ min: 0, max: 0xffff }),
      size: fc.integer({ min: 1, max: 0xffff }),
      shareable: fc.boolean(),
      pins: fc.array(fc.record({ keyRef: fc.integer({ min: 1, max: 0x8f }), enabled: fc.boolean() }), { maxLength: 4 }),
    });
    check(
      fc.property(input, ({ fid, size, shareable, pins }) => {
        const f = parseFcp(buildFcp({ descriptor: { structure: 'transparent', shareable }, fid, size, pinStatus: pins }));
        expect(f.fid).toBe(fid);
        expect(f.size).toBe(size);
        expect(f.descriptor).toMatchObject({ structure: 'transparent', shareable });
        expect(f.pinStatus).toEqual(pins);
      }),
    );
  }, FUZZ_TIMEOUT_MS);
});

const AMR_MAGIC = new TextEncoder().encode('#!AMR\n');

describe('fuzz: audio', () => {
  it('AMR: garbage is an AudioError; what the upload scanner accepts the parser reads the same', () => {
    // Frames made of a header byte with a random frame type and the right or a wrong number of bytes.
    const frame = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.boolean(), fc.integer({ min: 0, max: 3 })).map(([ft, exact, junk]) => {
      const size = amrFrameSize(ft);
      const len = size === null ? junk : exact ? size - 1 : Math.max(0, size - 1 - junk);
      return [(ft << 3) | 0x04, ...new Array<number>(len).fill(0x55)];
    });
    const file = fc.oneof(bytesWithPrefix(AMR_MAGIC, 400), fc.array(frame, { maxLength: 40 }).map((fs) => Uint8Array.from([...AMR_MAGIC, ...fs.flat()])));
    check(
      fc.property(file, (b) => {
        const info = only([AudioError], () => parseAmr(b)) as ReturnType<typeof parseAmr> | null;
        const scan = scanAmr(b);
        // The upload scanner is the stricter one (it also refuses set padding bits, RFC 4867 5.3): what it
        // accepts, the parser reads identically.
        if (scan.ok) expect(info && { ok: true, frames: info.frames, durationMs: info.durationMs }).toEqual(scan);
        if (info !== null) expect(info.durationMs).toBe(info.frames * 20);
      }),
      5,
    );
  }, FUZZ_TIMEOUT_MS);

  it('WAV: garbage is an AudioError; encoded PCM parses back sample for sample', () => {
    const riff = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt ');
    check(
      fc.property(bytesWithPrefix(riff, 300), (b) => {
        only([AudioError], () => parseWav(b));
      }),
      5,
    );
    check(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 500 }), fc.constantFrom(8000, 16000, 44100, 48000), fc.record({ title: fc.option(hostileString(40), { nil: undefined }) }), (s, rate, tags) => {
        const pcm = parseWav(encodeWav(Int16Array.from(s), rate, 1, tags.title === undefined ? {} : { title: tags.title }));
        expect(pcm.sampleRate).toBe(rate);
        expect([...pcm.samples]).toEqual(s);
      }),
    );
  }, FUZZ_TIMEOUT_MS);

  it('Range: any header gives a full body or a range inside it, Content-Length exact', () => {
    const header = fc.oneof(
      hostileString(80),
      fc.tuple(fc.constantFrom('bytes=', ' Bytes = ', 'bytes=-', 'items='), fc.oneof(fc.nat().map(String), fc.constant('')), fc.constantFrom('-', ' - ', ',', ''), fc.oneof(fc.nat().map(String), fc.constant('')), fc.constantFrom('', ' ', ', 5-6', 'x')).map((p) => p.join('')),
    );
    check(
      fc.property(fc.option(header, { nil: undefined }), fc.nat({ max: 5000 }), (h, size) => {
        const d = decideRange(h, size);
        if (d.kind === 'range') {
          expect(0 <= d.start && d.start <= d.end && d.end < size).toBe(true);
        }
        const r = answerRange(new Uint8Array(size), h, 'audio/wav');
        expect(Number(r.headers['Content-Length'])).toBe(r.body.length);
        expect(r.status === 206 || r.status === 200 || r.status === 416).toBe(true);
      }),
      5,
    );
  }, FUZZ_TIMEOUT_MS);
});
