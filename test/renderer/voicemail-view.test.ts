import { describe, expect, it } from 'vitest';
import { matchesText, viewOf, type VoicemailItem } from '../../renderer/voicemail-view.js';

const day = 86_400_000;
const now = Date.UTC(2026, 0, 10, 12);
const iso = (t: number) => new Date(t).toISOString();
const vm = (id: string, over: Partial<VoicemailItem> = {}): VoicemailItem => ({ id, from: '12065550143', date: iso(now - day), expires: iso(now + 20 * day), duration: 10, read: true, size: 1, filename: `${id}.amr`, keep: false, contentType: 'audio/amr', ...over });

const items: VoicemailItem[] = [
  vm('a', { from: '12065550143', read: false, date: iso(now - 1000) }),
  vm('b', { from: '14255550178', keep: true, expires: null, duration: 40, notes: 'Dentist: call back Monday' }),
  vm('c', { from: '13605550119', expires: iso(now + 2 * day), date: iso(now - 5 * day), name: 'Alex Rivera' }),
  vm('d', { from: '15035550100', archivedOnly: true, expires: iso(now - 3 * day), date: iso(now - 40 * day) }),
];
const ids = (v: VoicemailItem[]) => v.map((x) => x.id);

describe('voicemail view', () => {
  it('searches the number however it is typed, the name, and the notes', () => {
    expect(ids(viewOf(items, { text: '206-555', filter: 'all', sort: 'newest' }, now))).toEqual(['a']);
    expect(ids(viewOf(items, { text: '(425) 555 01', filter: 'all', sort: 'newest' }, now))).toEqual(['b']);
    expect(ids(viewOf(items, { text: '+1 360', filter: 'all', sort: 'newest' }, now))).toEqual(['c']);
    expect(ids(viewOf(items, { text: 'alex', filter: 'all', sort: 'newest' }, now))).toEqual(['c']);
    expect(ids(viewOf(items, { text: 'DENTIST', filter: 'all', sort: 'newest' }, now))).toEqual(['b']);
    expect(ids(viewOf(items, { text: 'nobody', filter: 'all', sort: 'newest' }, now))).toEqual([]);
    expect(matchesText(vm('t', { transcript: 'pick up the keys' }), 'the keys')).toBe(true);
  });

  it('filters unread, kept, expiring soon (not what only the library has) and archived-only', () => {
    const f = (filter: 'all' | 'unread' | 'kept' | 'expiring' | 'archived') => ids(viewOf(items, { text: '', filter, sort: 'newest' }, now));
    expect(f('all')).toEqual(['a', 'b', 'c', 'd']);
    expect(f('unread')).toEqual(['a']);
    expect(f('kept')).toEqual(['b']);
    expect(f('expiring')).toEqual(['c']);
    expect(f('archived')).toEqual(['d']);
  });

  it('sorts by date either way, caller, length and expiry, without touching the input', () => {
    const before = ids(items);
    const s = (sort: 'newest' | 'oldest' | 'caller' | 'longest' | 'expiry') => ids(viewOf(items, { text: '', filter: 'all', sort }, now));
    expect(s('newest')).toEqual(['a', 'b', 'c', 'd']);
    expect(s('oldest')).toEqual(['d', 'c', 'b', 'a']);
    expect(s('caller')).toEqual(['a', 'b', 'd', 'c']);
    expect(s('longest')[0]).toBe('b');
    expect(s('expiry')).toEqual(['d', 'c', 'a', 'b']);
    expect(ids(items)).toEqual(before);
  });

  it('a changed voicemail (a new object) is searched by its new notes', () => {
    const first = viewOf(items, { text: 'plumber', filter: 'all', sort: 'newest' }, now);
    expect(first).toEqual([]);
    const edited = items.map((v) => (v.id === 'a' ? { ...v, notes: 'the plumber' } : v));
    expect(ids(viewOf(edited, { text: 'plumber', filter: 'all', sort: 'newest' }, now))).toEqual(['a']);
  });
});
