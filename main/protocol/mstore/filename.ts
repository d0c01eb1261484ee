// File names made safe to create on Windows, macOS and Linux: the ONE sanitiser for downloads (the
// server's Content-Disposition, RFC 6266) and exports (a user template filled with server values). The
// input is never trusted: it only suggests a name inside a folder the user chose. Every step is linear in
// the input and the input is capped before any pattern runs, because the server controls these strings.

/** Longest Content-Disposition value looked at; a file name parameter past this is ignored. */
export const MAX_DISPOSITION_CHARS = 16 * 1024;
/** Longest name (in UTF-16 units) the sanitiser looks at; more is cut before any pattern runs. */
const MAX_INPUT_CHARS = 1024;
/**
 * Longest result in UTF-8 bytes. File systems allow 255 bytes per component; this leaves room for the
 * " (9999)" of a numbered alternative and for the temporary name the atomic writer derives from it.
 */
export const MAX_NAME_BYTES = 200;
/** Every component, including numbered alternatives and temporary names, stays within this. */
export const MAX_COMPONENT_BYTES = 255;

/** The last segment of a `/` or `\` path: RFC 6266 §4.3 says to ignore any directory information. */
function lastSegment(s: string): string {
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
}

/** The `filename` (or RFC 5987 `filename*`) parameter of a Content-Disposition value, or null. */
export function contentDispositionFilename(value: string): string | null {
  // Each pattern is anchored at `;` or the start and its repeated parts cannot overlap, so one pass;
  // the cap bounds what the patterns see at all.
  const v = value.length > MAX_DISPOSITION_CHARS ? value.slice(0, MAX_DISPOSITION_CHARS) : value;
  const star = /(?:^|;)[ \t]*filename\*[ \t]*=[ \t]*([^;]+)/i.exec(v);
  if (star?.[1]) {
    const m = /^(?:utf-8|iso-8859-1)'[^']*'([^']+)$/i.exec(star[1].trim());
    if (m?.[1]) {
      try {
        return lastSegment(decodeURIComponent(m[1]));
      } catch {
        // fall through to the plain parameter
      }
    }
  }
  const quoted = /(?:^|;)[ \t]*filename[ \t]*=[ \t]*"((?:[^"\\]|\\.)*)"/i.exec(v);
  if (quoted?.[1] !== undefined) return lastSegment(quoted[1].replace(/\\(.)/g, '$1'));
  const token = /(?:^|;)[ \t]*filename[ \t]*=[ \t]*([^;\s"]+)/i.exec(v);
  return token?.[1] === undefined ? null : lastSegment(token[1]);
}

// Windows device names (Win32 "Naming Files"), reserved with any extension and with trailing spaces
// before it (`CON .amr` opens the console).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;
// Lone surrogates (the `u` flag makes paired ones one code point, which this class does not match), bidi
// embedding/override/isolate controls (U+202A-202E, U+2066-2069) and the invisible marks (U+200E, U+200F,
// U+061C) that can disguise an extension: removed.
const REMOVED = /[\ud800-\udfff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;
// Separators, Windows-forbidden characters, C0/C1 controls and DEL: each becomes `_`.
// eslint-disable-next-line no-control-regex
const REPLACED = /[/\\<>:"|?*\u0000-\u001f\u007f-\u009f]/g;
// An extension worth keeping when shortening: a dot and 1-8 letters or digits at the very end.
const EXTENSION = /\.[A-Za-z0-9]{1,8}$/;

function isDotOrSpace(c: number): boolean {
  return c === 0x2e || c === 0x20;
}

/** `s` without leading dots/spaces (no hidden files, no `.` or `..`) and trailing ones (Windows drops them). */
function trimDotsAndSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isDotOrSpace(s.charCodeAt(a))) a++;
  while (b > a && isDotOrSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

function trimEndDotsAndSpaces(s: string): string {
  let b = s.length;
  while (b > 0 && isDotOrSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(0, b);
}

function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** UTF-8 length of a well-formed string, in one pass. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) n += utf8Bytes(ch.codePointAt(0) ?? 0);
  return n;
}

/** The longest prefix of `s` (whole code points) that fits `maxBytes` of UTF-8, in one pass. */
export function utf8Prefix(s: string, maxBytes: number): string {
  let n = 0;
  let end = 0;
  for (const ch of s) {
    n += utf8Bytes(ch.codePointAt(0) ?? 0);
    if (n > maxBytes) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

function isReserved(name: string): boolean {
  const dot = name.indexOf('.');
  const stem = trimEndDotsAndSpaces(dot < 0 ? name : name.slice(0, dot));
  return stem.length <= 7 && RESERVED.test(stem);
}

function isAllUnderscores(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x5f) return false;
  return true;
}

/** `s` within {@link MAX_NAME_BYTES}, keeping its extension, without trailing dots or spaces. */
function shorten(s: string, fallback: string): string {
  if (utf8Length(s) <= MAX_NAME_BYTES) return s;
  const ext = EXTENSION.exec(s.slice(-9))?.[0] ?? '';
  const stem = trimEndDotsAndSpaces(utf8Prefix(s.slice(0, s.length - ext.length), MAX_NAME_BYTES - ext.length));
  return stem === '' ? fallback : stem + ext;
}

/**
 * A single path component safe on every OS: separators (`/`, `\`), Windows-forbidden characters
 * (`<>:"|?*`) and control characters become `_`; bidi controls and lone surrogates are removed; runs of
 * white space become one space; no leading or trailing dots or spaces (so no `.`, `..` or hidden files);
 * at most {@link MAX_NAME_BYTES} UTF-8 bytes keeping the extension; no reserved device name (CON, PRN,
 * AUX, NUL, COM1-9, LPT1-9, with or without extension, checked after shortening). `fallback` (itself
 * safe) replaces a name with nothing usable left. Linear in the input.
 */
export function sanitizeFilename(name: string, fallback: string): string {
  // The extension is taken from the real end before the cap cuts the middle of a long name away.
  const tail = name.length > 9 ? name.slice(-9) : name;
  const rawExt = EXTENSION.exec(tail)?.[0] ?? '';
  let stem = name.slice(0, name.length - rawExt.length);
  if (stem.length > MAX_INPUT_CHARS) stem = stem.slice(0, MAX_INPUT_CHARS);
  stem = stem.replace(REMOVED, '').normalize('NFC').replace(REPLACED, '_').replace(/\s+/g, ' ');
  let s = trimDotsAndSpaces(stem + rawExt);
  if (s === '' || isAllUnderscores(s)) s = fallback;
  s = shorten(s, fallback);
  // After shortening, which can turn "CON    y" into "CON".
  if (isReserved(s)) s = shorten(`_${s}`, fallback);
  return s;
}

/**
 * `name (1).ext`, `name (2).ext`, ... for the n-th alternative when a file already exists; the stem is
 * shortened so the result stays within {@link MAX_COMPONENT_BYTES}. `n` 0 is the name itself.
 */
export function numberedFilename(name: string, n: number): string {
  if (n === 0) return name;
  const ext = EXTENSION.exec(name.slice(-9))?.[0] ?? '';
  const suffix = ` (${n})${ext}`;
  return utf8Prefix(name.slice(0, name.length - ext.length), MAX_COMPONENT_BYTES - utf8Length(suffix)) + suffix;
}

/**
 * The name of the temporary file written next to `name` before it is published: `.name.<random>.part`
 * with `name` shortened so the whole stays within {@link MAX_COMPONENT_BYTES}. The `.part` ending and the
 * leading dot let a later start recognise and sweep debris of a killed write ({@link isTempFileName}).
 */
export function tempFileName(name: string, random: string): string {
  const suffix = `.${random}.part`;
  return `.${utf8Prefix(name, MAX_COMPONENT_BYTES - 1 - utf8Length(suffix))}${suffix}`;
}

/** True for a name {@link tempFileName} made (random part of 8-64 hex digits). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && /\.[0-9a-f]{8,64}\.part$/.test(name.slice(-70));
}
