import { describe, expect, it } from 'vitest';
import { expiryState, formatRelativeDate } from '../../renderer/format.js';

// Local times built with the local-time Date constructor, so the test holds in every time zone.
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();
const iso = (t: number) => new Date(t).toISOString();
const time = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });

describe('formatRelativeDate', () => {
  const now = at(2026, 3, 12, 18, 0); // a Thursday evening

  it('says Today and Yesterday by calendar day, not by 24 hours', () => {
    const morning = at(2026, 3, 12, 0, 5);
    expect(formatRelativeDate(iso(morning), now)).toBe(`Today ${time(morning)}`);
    const lateYesterday = at(2026, 3, 11, 23, 59);
    expect(formatRelativeDate(iso(lateYesterday), now)).toBe(`Yesterday ${time(lateYesterday)}`);
    const earlyYesterday = at(2026, 3, 11, 0, 1);
    expect(formatRelativeDate(iso(earlyYesterday), now)).toBe(`Yesterday ${time(earlyYesterday)}`);
  });

  it('names the weekday within the week, then the date, then the year', () => {
    const monday = at(2026, 3, 9, 15, 5);
    expect(formatRelativeDate(iso(monday), now)).toBe(`${new Date(monday).toLocaleDateString(undefined, { weekday: 'short' })} ${time(monday)}`);
    const sevenDays = at(2026, 3, 5, 9, 0);
    expect(formatRelativeDate(iso(sevenDays), now)).toBe(`${new Date(sevenDays).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time(sevenDays)}`);
    const lastYear = at(2025, 12, 30, 9, 0);
    expect(formatRelativeDate(iso(lastYear), now)).toBe(new Date(lastYear).toLocaleDateString(undefined, { dateStyle: 'medium' }));
  });

  it('shows text that is not a date as given', () => {
    expect(formatRelativeDate('not a date', now)).toBe('not a date');
  });
});

describe('expiryState', () => {
  const now = Date.UTC(2026, 0, 10);
  const day = 86_400_000;
  it('kept, fine, soon (<= 3 days) and expired', () => {
    expect(expiryState(null, false, now)).toBe('kept');
    expect(expiryState(iso(now + day), true, now)).toBe('kept');
    expect(expiryState(iso(now + 3 * day + 1000), false, now)).toBe('ok');
    expect(expiryState(iso(now + 3 * day), false, now)).toBe('soon');
    expect(expiryState(iso(now + 60_000), false, now)).toBe('soon');
    expect(expiryState(iso(now), false, now)).toBe('expired');
    expect(expiryState(iso(now - day), false, now)).toBe('expired');
  });
});
