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

// Formatters are made once: `toLocaleString(undefined, options)` builds a new Intl formatter on every
// call, which is most of the cost of drawing a screenful of list rows.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * Makes the date formatters now: the first Intl formatter of a page loads the locale data (tens of ms),
 * better spent while the list is still on its way than when it has arrived.
 */
export function warmFormatters(): void {
  const d = new Date();
  formatRelativeDate(d.toISOString(), d.getTime());
  formatRelativeDate(new Date(d.getTime() - 3 * DAY_MS).toISOString(), d.getTime());
  formatRelativeDate(new Date(d.getTime() - 40 * DAY_MS).toISOString(), d.getTime());
  formatRelativeDate(new Date(d.getTime() - 400 * DAY_MS).toISOString(), d.getTime());
  formatDate(d.toISOString());
}

/** A local date and time, short. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter('dateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
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

const DAY_MS = 86_400_000;

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * A date as people say it in a list: "Today 4:42 PM", "Yesterday 9:10 AM", "Mon 3:05 PM" within the last
 * week, "Mar 3, 4:42 PM" this year, "Mar 3, 2025" before. Local time; the clock is an argument for tests.
 */
export function formatRelativeDate(iso: string, now: number = Date.now()): string {
  const d = new Date(iso);
  const t = d.getTime();
  if (Number.isNaN(t)) return iso;
  const time = formatter('time', { hour: 'numeric', minute: '2-digit' }).format(d);
  // Whole calendar days between the two local dates (DST days are 23 or 25 hours long, hence the round).
  const days = Math.round((startOfDay(now) - startOfDay(t)) / DAY_MS);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  if (days > 1 && days < 7) return `${formatter('weekday', { weekday: 'short' }).format(d)} ${time}`;
  if (d.getFullYear() === new Date(now).getFullYear()) return `${formatter('monthDay', { month: 'short', day: 'numeric' }).format(d)}, ${time}`;
  return formatter('date', { dateStyle: 'medium' }).format(d);
}

/** How close a voicemail is to the carrier deleting it. */
export type ExpiryState = 'kept' | 'ok' | 'soon' | 'expired';

/** A voicemail expires "soon" within this many days: it is shown in a warning colour. */
export const EXPIRING_SOON_DAYS = 3;

/** Kept (or no expiry given), fine, expiring within {@link EXPIRING_SOON_DAYS} days, or expired. */
export function expiryState(iso: string | null, keep: boolean, now: number = Date.now()): ExpiryState {
  if (keep || iso === null) return 'kept';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return 'ok';
  if (t <= now) return 'expired';
  return t - now <= EXPIRING_SOON_DAYS * DAY_MS ? 'soon' : 'ok';
}
