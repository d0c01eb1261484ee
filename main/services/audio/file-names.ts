// Export file names from a template, made safe on Windows, macOS and Linux.

/** Default template: `2024-01-01 14.05 +12065550100 (0m42s).mp3`. */
export const DEFAULT_NAME_TEMPLATE = '{date} {time} {from} ({duration}).{ext}';

/** Values a template can use. */
export interface NameFields {
  /** ISO instant of the voicemail. */
  date: string;
  from: string | null;
  durationMs: number;
  id: string;
  ext: string;
}

// Windows reserved device names (with or without extension) and characters (Win32 "Naming Files").
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const MAX_BYTES = 200; // below every common file system's 255-byte limit, leaving room for " (12)" and temp names

/** "0m42s" / "1h02m03s". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s` : `${m}m${String(s).padStart(2, '0')}s`;
}

function parts(iso: string, timeZone: string | undefined): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: 'unknown-date', time: 'unknown-time' };
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(d)) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}.${p.minute}` };
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Makes one path component safe everywhere; keeps the extension when shortening. */
export function safeFileName(name: string, fallback = 'voicemail'): string {
  let s = name.normalize('NFC').replace(BAD_CHARS, '_').replace(/\s+/g, ' ').trim();
  s = s.replace(/[. ]+$/, ''); // Windows strips trailing dots and spaces
  s = s.replace(/^\.+/, ''); // no hidden files, no "." or ".."
  if (s === '') s = fallback;
  if (RESERVED.test(s)) s = `_${s}`;
  if (utf8Length(s) > MAX_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    let stem = s.slice(0, s.length - ext.length);
    while (utf8Length(stem + ext) > MAX_BYTES) stem = Array.from(stem).slice(0, -1).join('');
    s = stem.trimEnd() + ext;
  }
  return s;
}

/** Expands `{date} {time} {from} {duration} {id} {ext}` and returns a safe file name. */
export function fileNameFor(template: string, f: NameFields, timeZone?: string): string {
  const { date, time } = parts(f.date, timeZone);
  const values: Record<string, string> = {
    date,
    time,
    from: f.from ?? 'unknown',
    duration: formatDuration(f.durationMs),
    id: f.id,
    ext: f.ext,
  };
  const expanded = template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  return safeFileName(expanded);
}
