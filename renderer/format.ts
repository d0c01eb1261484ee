// Display formatting only (no business logic): durations, phone numbers, dates.

/** 75 -> "1:15". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "12065550143" -> "+1 206-555-0143"; anything else is shown as given. */
export function formatPhone(raw: string | null): string {
  if (!raw) return 'Unknown caller';
  const d = raw.replace(/^\+/, '');
  const m = /^1?(\d{3})(\d{3})(\d{4})$/.exec(d);
  return m ? `+1 ${m[1]}-${m[2]}-${m[3]}` : raw;
}

/** A local date and time, short. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "29 days left" / "Kept" / "Expired". */
export function formatExpiry(iso: string | null, keep: boolean, now: number = Date.now()): string {
  if (keep || iso === null) return 'Kept';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const days = Math.ceil((t - now) / 86_400_000);
  if (days <= 0) return 'Expired';
  return days === 1 ? '1 day left' : `${days} days left`;
}

/** Bytes as KiB/MiB. */
export function formatKiB(kib: number | null): string {
  if (kib === null) return '—';
  return kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib} KiB`;
}
