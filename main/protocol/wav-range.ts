// HTTP Range requests over an in-memory body (RFC 9110 section 14: Range, Content-Range, 206 and 416).
// Serves the decoded voicemail WAV to the renderer's <audio>/wavesurfer through a custom protocol, so
// seeking works. Only single byte ranges are honoured; a multi-range or malformed header is ignored and
// the whole body is sent (RFC 9110 14.2 allows a server to ignore Range).

/** The answer to a (possibly ranged) GET. */
export interface RangeResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A satisfiable range [start, end] (inclusive), `unsatisfiable`, or `ignore` (serve everything). */
export type RangeDecision = { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' } | { kind: 'ignore' };

/** Longest Range header looked at; a single byte range is far shorter, anything longer is ignored. */
export const MAX_RANGE_HEADER = 256;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * `bytes = <digits> - <digits>` (either number may be empty, optional blanks between the parts) split in
 * one left-to-right pass, or null. Hand-written because the equivalent regex backtracks quadratically
 * over blanks next to an empty number.
 */
function splitByteRange(header: string): [string, string] | null {
  if (header.length > MAX_RANGE_HEADER) return null;
  let i = 0;
  const n = header.length;
  const blanks = () => {
    while (i < n && isSpace(header.charCodeAt(i))) i++;
  };
  const digits = () => {
    const from = i;
    while (i < n && header.charCodeAt(i) >= 0x30 && header.charCodeAt(i) <= 0x39) i++;
    return header.slice(from, i);
  };
  blanks();
  if (header.slice(i, i + 5).toLowerCase() !== 'bytes') return null;
  i += 5;
  blanks();
  if (header[i] !== '=') return null;
  i++;
  blanks();
  const a = digits();
  blanks();
  if (header[i] !== '-') return null;
  i++;
  blanks();
  const b = digits();
  blanks();
  return i === n ? [a, b] : null;
}

/** Interprets a Range header value against a body of `size` bytes (RFC 9110 14.1.2). */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: 'ignore' };
  const m = splitByteRange(header);
  if (!m) return { kind: 'ignore' };
  const [a, b] = m;
  if (a === '' && b === '') return { kind: 'ignore' };
  if (a === '') {
    // Suffix range: the last n bytes.
    const n = Number(b);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return { kind: 'ignore' }; // invalid range-spec: ignore the header
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  return { kind: 'range', start, end };
}

/** Answers a GET with an optional Range header over `body`, with the given content type. */
export function answerRange(body: Uint8Array, rangeHeader: string | undefined, contentType: string): RangeResponse {
  const size = body.length;
  const base = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes' };
  const d = decideRange(rangeHeader, size);
  switch (d.kind) {
    case 'ignore':
      return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body };
    case 'unsatisfiable':
      return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: new Uint8Array(0) };
    case 'range':
      return {
        status: 206,
        headers: { ...base, 'Content-Range': `bytes ${d.start}-${d.end}/${size}`, 'Content-Length': String(d.end - d.start + 1) },
        body: body.subarray(d.start, d.end + 1),
      };
  }
}
