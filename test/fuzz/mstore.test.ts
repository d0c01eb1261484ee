// Fuzz: the mstore response parsers (JSON schemas), the object-path URL parser (plain and `?path=` forms)
// and the greeting multipart body. Hostile bodies end in HttpError (never a crash); every id a listing
// yields is a safe relative path; a parsed URL path never holds a dot segment or a control character,
// even after percent-decoding; the multipart body reads back (with a reader written here from RFC 2046,
// not the relay's) to exactly the JSON and the audio that went in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../main/errors.js';
import { greetingMultipart, type UploadMeta } from '../../main/protocol/mstore/bodies.js';
import { parseBulkResponse, parseObject, parseProfile, parseQuota, parseSearchPage, toGreeting, toVoicemail, type Page } from '../../main/protocol/mstore/responses.js';
import { objectPathFromUrl, objectPathProblem } from '../../main/protocol/mstore/urls.js';
import { FUZZ_TIMEOUT_MS, check, hostileString } from './fuzz-config.js';

const trust = { server: 'https://wsg.t-mobile.com/phone20/mStoreRelay' };
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function onlyHttpError(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return null;
  }
}

/** Percent-decodes what can be decoded (a lone `%` stays), like a lenient server or proxy would. */
function lenientDecode(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function assertSafePath(p: string): void {
  expect(objectPathProblem(p)).toBeNull();
  for (const form of [p, lenientDecode(p), lenientDecode(lenientDecode(p))]) {
    expect(form.split(/[/\\]/).some((seg) => seg === '.' || seg === '..')).toBe(false);
    // eslint-disable-next-line no-control-regex
    expect(form).not.toMatch(/[\u0000-\u001f\u007f]/);
  }
}

// URLs assembled from the pieces that matter: schemes, hosts, ports, the ?path= wrapper, /objects/,
// segments with dots, encodings and controls.
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('.', '..', '%2e', '%2E%2e', '%2f', '%5c', '%00', '%0A', '%0d', '%1f', '%7f', '%25', '%252e', '', 'VV-Mail', 'Inbox', 'a b', 'a\tb', '\\', 'objects', ';', '@', ':', 'x%0Ay') },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/) },
  { weight: 1, arbitrary: hostileString(8) },
);
const pathArb = fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`);
const objectsPath = fc.tuple(pathArb, pathArb).map(([a, b]) => `${a}/objects${b}`);
const urlArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof({ weight: 5, arbitrary: fc.constant('https://') }, { weight: 1, arbitrary: fc.constantFrom('http://', 'HTTPS://', 'ftp://', 'https:/', '') }), fc.oneof({ weight: 5, arbitrary: fc.constant('wsg.t-mobile.com') }, { weight: 1, arbitrary: fc.constantFrom('wsg.t-mobile.com:443', 'u@wsg.t-mobile.com', '[::1]:8082', 'evil.example', '') }), objectsPath)
      .map((p) => p.join('')),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('https://wsg.t-mobile.com:443/phone20/mStoreRelay?path=', 'https://x/y?path=', 'https://x/y?pat='), fc.constantFrom('http://', 'https://', 'file://'), fc.constantFrom('wsg.mstore.msg.eng.t-mobile.com:8082', 'h', 'u@h'), objectsPath, fc.constantFrom('', '', '', '?x=1', '#f'))
      .map((p) => p.join('')),
  },
  { weight: 1, arbitrary: hostileString(200) },
);

describe('fuzz: mstore URLs', () => {
  it('a parsed object path is a safe relative path: no dot segment, no control, even after decoding', () => {
    check(
      fc.property(urlArb, (url) => {
        const p = objectPathFromUrl(url, trust);
        if (p !== null) assertSafePath(p);
      }),
      5,
    );
  }, FUZZ_TIMEOUT_MS);
});

// Search-page objects: a valid skeleton with hostile values sprinkled in, or anything at all.
const attr = fc.record({ name: fc.oneof(fc.constantFrom('date', 'from', 'content-duration', 'expires', 'subject', 'x-cns-greeting-type'), hostileString(10)), value: fc.array(fc.oneof(fc.constant('2024-01-01T00:00:00Z'), hostileString(30)), { maxLength: 3 }) });
const objectArb = fc.oneof(
  fc.record({
    attributes: fc.record({ attribute: fc.array(attr, { maxLength: 8 }) }),
    flags: fc.record({ flag: fc.array(fc.constantFrom('\\Seen', '$CNS-Greeting-On', '\\Flagged', 'x'), { maxLength: 3 }) }),
    resourceURL: urlArb,
    payloadPart: fc.array(fc.record({ contentType: fc.constantFrom('audio/amr', 'x'), size: fc.oneof(fc.constant('1234'), hostileString(5)), contentDisposition: fc.option(hostileString(80), { nil: undefined }), href: urlArb }), { maxLength: 2 }),
  }),
  fc.anything(),
);

describe('fuzz: mstore response schemas', () => {
  it('search pages: only HttpError, and every listed item has a safe id, payload path and file name', () => {
    check(
      fc.property(fc.oneof(fc.record({ objectList: fc.record({ object: fc.array(objectArb, { maxLength: 5 }), cursor: fc.option(fc.string(), { nil: undefined }) }) }), fc.jsonValue()), (body) => {
        const pages = [onlyHttpError(() => parseSearchPage(enc(body), toVoicemail, trust)), onlyHttpError(() => parseSearchPage(enc(body), toGreeting, trust))] as (Page<{ id: string; filename: string }> | null)[];
        for (const page of pages) {
          for (const { item, payloadPath } of page?.items ?? []) {
            assertSafePath(item.id);
            assertSafePath(payloadPath);
            expect(item.filename).not.toMatch(/[/\\]/);
          }
        }
      }),
      2,
    );
  }, FUZZ_TIMEOUT_MS);

  it('profile, quota, object and bulk bodies: a value or HttpError, nothing else', () => {
    const body = fc.oneof(fc.jsonValue().map(enc), fc.uint8Array({ maxLength: 200 }), hostileString(200).map(enc), fc.record({ NWK_RSP: fc.oneof(hostileString(100), fc.jsonValue().map((v) => JSON.stringify(v))) }).map(enc));
    check(
      fc.property(body, (b) => {
        onlyHttpError(() => parseProfile(b));
        onlyHttpError(() => parseQuota(b));
        onlyHttpError(() => parseObject(b, toVoicemail, trust));
        const bulk = onlyHttpError(() => parseBulkResponse(b, trust)) as ReturnType<typeof parseBulkResponse> | null;
        if (bulk?.kind === 'results') for (const i of bulk.items) assertSafePath(i.id);
      }),
      2,
    );
  }, FUZZ_TIMEOUT_MS);
});

/** Splits `body` at `--boundary` lines (RFC 2046 5.1.1); returns each part's headers and content. */
function readMultipart(body: Uint8Array, boundary: string): { headers: Map<string, string>; content: Uint8Array }[] {
  const text = Buffer.from(body).toString('latin1');
  const delimiter = `--${boundary}`;
  expect(text.startsWith(`${delimiter}\r\n`)).toBe(true);
  expect(text.endsWith(`\r\n${delimiter}--\r\n`)).toBe(true);
  const inner = text.slice(delimiter.length + 2, text.length - delimiter.length - 6);
  return inner.split(`\r\n${delimiter}\r\n`).map((part) => {
    const end = part.indexOf('\r\n\r\n');
    const headers = new Map(part.slice(0, end).split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
    return { headers, content: Buffer.from(part.slice(end + 4), 'latin1') };
  });
}

describe('fuzz: greeting multipart', () => {
  it('reads back to the JSON and the audio, every Content-Length exact, boundaries only where they belong', () => {
    const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,-./:=?]{1,60}[A-Za-z0-9]$/);
    const meta: fc.Arbitrary<UploadMeta> = fc.record({
      folder: fc.constantFrom('greeting' as const),
      durationS: fc.integer({ min: 0, max: 100 }),
      date: fc.constant('2024-01-01T00:00:00Z'),
      messageId: fc.stringMatching(/^\d{1,13}$/),
      subject: hostileString(60),
      type: fc.constantFrom('normal-greeting' as const, 'voice-signature' as const),
    });
    check(
      fc.property(meta, fc.uint8Array({ maxLength: 2000 }), boundary, boundary, (m, amr, outer, inner) => {
        fc.pre(outer !== inner && !outer.startsWith(inner) && !inner.startsWith(outer));
        const mp = greetingMultipart(m, amr, outer, inner);
        expect(mp.contentType).toBe(`multipart/form-data; boundary=${outer}`);
        const parts = readMultipart(mp.body, outer);
        expect(parts).toHaveLength(2);
        const [root, attachments] = parts;
        expect(Number(root?.headers.get('content-length'))).toBe(root?.content.length);
        expect(JSON.parse(Buffer.from(root?.content ?? []).toString('utf8'))).toMatchObject({ object: expect.anything() });
        expect(JSON.stringify(JSON.parse(Buffer.from(root?.content ?? []).toString('utf8')))).toContain(JSON.stringify(m.subject).slice(1, -1));
        expect(Number(attachments?.headers.get('content-length'))).toBe(attachments?.content.length);
        const [data] = readMultipart(attachments?.content ?? new Uint8Array(), inner);
        expect(Number(data?.headers.get('content-length'))).toBe(data?.content.length);
        expect(new Uint8Array(Buffer.from(Buffer.from(data?.content ?? []).toString('latin1'), 'base64'))).toEqual(amr);
      }),
    );
  }, FUZZ_TIMEOUT_MS);
});
