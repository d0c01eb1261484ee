// Export file names from a template, made safe on Windows, macOS and Linux by the one sanitiser that
// downloads use too (main/protocol/mstore/filename.ts).
import { sanitizeFilename } from '../../protocol/mstore/filename.js';

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
  return sanitizeFilename(expanded, 'voicemail');
}
