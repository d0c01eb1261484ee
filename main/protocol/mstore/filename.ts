// File names from the server (Content-Disposition, RFC 6266) made safe to create on Windows, macOS and
// Linux. The server's name is never trusted: it only suggests a name inside a folder the user chose.

/** The `filename` (or RFC 5987 `filename*`) parameter of a Content-Disposition value, or null. */
export function contentDispositionFilename(value: string): string | null {
  const star = /(?:^|;)\s*filename\*\s*=\s*([^;]+)/i.exec(value);
  if (star?.[1]) {
    const m = /^(?:utf-8|iso-8859-1)'[^']*'(.+)$/i.exec(star[1].trim());
    if (m?.[1]) {
      try {
        return decodeURIComponent(m[1]);
      } catch {
        // fall through to the plain parameter
      }
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(value);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s"]+)/i.exec(value);
  return token?.[1] ?? null;
}

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const MAX_BYTES = 200;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * A single path component safe on every OS: no separators (`/`, `\`), no `..`, no control characters or
 * Windows-forbidden characters (`<>:"|?*`), no trailing dots or spaces, no reserved device names
 * (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without extension), at most 200 UTF-8 bytes keeping the
 * extension. Falls back to `fallback` when nothing usable is left.
 */
export function sanitizeFilename(name: string, fallback: string): string {
  // Keep only the last component of anything that looks like a path, in either separator style.
  let s = name.split(/[/\\]/).pop() ?? '';
  s = s.normalize('NFC');
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_');
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (s === '' || /^_*$/.test(s)) s = fallback;
  const dot = s.indexOf('.');
  const stem = dot < 0 ? s : s.slice(0, dot);
  if (RESERVED.test(stem.trim())) s = `_${s}`;
  if (utf8Length(s) > MAX_BYTES) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(s)?.[0] ?? '';
    let base = s.slice(0, s.length - ext.length);
    while (utf8Length(base + ext) > MAX_BYTES) base = Array.from(base).slice(0, -1).join('');
    s = base.replace(/[\s.]+$/, '') + ext;
  }
  return s;
}

/** `name (1).ext`, `name (2).ext`, ... for the n-th alternative when a file already exists. */
export function numberedFilename(name: string, n: number): string {
  const m = /^(.*?)(\.[^.]*)?$/.exec(name);
  const base = m?.[1] ?? name;
  const ext = m?.[2] ?? '';
  return `${base} (${n})${ext}`;
}
