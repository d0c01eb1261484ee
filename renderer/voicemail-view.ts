// What the voicemail tab shows of the mailbox: search, filter and sort over the listed items. Pure
// functions (the clock is an argument), so the component tests and the 5,000-item benchmark measure the
// same code the window runs.
import type { Voicemail } from '../shared/domain/mstore.js';
import { expiryState, formatPhone } from './format.js';

/**
 * A voicemail as the tab shows it: what the server lists, plus what only the local library knows
 * (absent until the library is there).
 */
export type VoicemailItem = Voicemail & {
  /** The server no longer has it; the local library still does (played and exported from there). */
  archivedOnly?: boolean;
  /** The local library has its audio: it stays (archived only) when the server deletes it. */
  stored?: boolean;
  /** The user's own notes. */
  notes?: string;
  /** Caller name, where one is known. */
  name?: string;
  /** A transcript, where one exists. */
  transcript?: string;
};

/** The filter chips of the tab. */
export const FILTERS = ['all', 'unread', 'kept', 'expiring', 'archived'] as const;
/** See {@link FILTERS}. */
export type VoicemailFilter = (typeof FILTERS)[number];

/** Sort orders of the tab. */
export const SORTS = ['newest', 'oldest', 'caller', 'longest', 'expiry'] as const;
/** See {@link SORTS}. */
export type VoicemailSort = (typeof SORTS)[number];

/** What the user asked to see. */
export interface ViewQuery {
  text: string;
  filter: VoicemailFilter;
  sort: VoicemailSort;
}

// One lower-cased haystack (and the caller's digits) per item, built once per item object (items are
// immutable values: a changed voicemail is a new object), so typing in the search box over 5,000 items
// only runs `includes`.
const haystacks = new WeakMap<VoicemailItem, { text: string; digits: string }>();

function haystack(v: VoicemailItem): { text: string; digits: string } {
  let h = haystacks.get(v);
  if (h === undefined) {
    h = { text: [v.from, formatPhone(v.from), v.name ?? '', v.notes ?? '', v.transcript ?? ''].join('\n').toLowerCase(), digits: v.from.replace(/\D/g, '') };
    haystacks.set(v, h);
  }
  return h;
}

/** A search text prepared once per keystroke, not once per voicemail. */
interface Needle {
  text: string;
  /** The query as digits when it is a phone number typed any way ("(206) 555-01"), else null. */
  digits: string | null;
}

function needleOf(text: string): Needle {
  const q = text.trim().toLowerCase();
  const digits = q.replace(/[\s()+.-]/g, '');
  return { text: q, digits: /^\d+$/.test(digits) ? digits : null };
}

function matchesNeedle(v: VoicemailItem, n: Needle): boolean {
  if (n.text === '') return true;
  const h = haystack(v);
  return h.text.includes(n.text) || (n.digits !== null && h.digits.includes(n.digits));
}

/** True when `v` matches the search text: caller number (typed any way), name, notes, transcript. */
export function matchesText(v: VoicemailItem, text: string): boolean {
  return matchesNeedle(v, needleOf(text));
}

/** True when `v` passes the filter chip. */
export function matchesFilter(v: VoicemailItem, filter: VoicemailFilter, now: number): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'unread':
      return !v.read;
    case 'kept':
      return v.keep;
    case 'expiring':
      return v.archivedOnly !== true && expiryState(v.expires, v.keep, now) === 'soon';
    case 'archived':
      return v.archivedOnly === true;
  }
}

const times = new WeakMap<VoicemailItem, number>();

/** The voicemail's date as a number, parsed once per item (sorting 5,000 items compares ~60,000 times). */
function dateOf(v: VoicemailItem): number {
  let t = times.get(v);
  if (t === undefined) {
    t = Date.parse(v.date);
    if (Number.isNaN(t)) t = 0;
    times.set(v, t);
  }
  return t;
}

function expiresAt(v: VoicemailItem): number {
  if (v.keep || v.expires === null) return Number.POSITIVE_INFINITY;
  const t = Date.parse(v.expires);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function comparator(sort: VoicemailSort): (a: VoicemailItem, b: VoicemailItem) => number {
  switch (sort) {
    case 'newest':
      return (a, b) => dateOf(b) - dateOf(a);
    case 'oldest':
      return (a, b) => dateOf(a) - dateOf(b);
    case 'caller':
      return (a, b) => (a.name ?? a.from).localeCompare(b.name ?? b.from) || dateOf(b) - dateOf(a);
    case 'longest':
      return (a, b) => b.duration - a.duration;
    case 'expiry':
      return (a, b) => expiresAt(a) - expiresAt(b) || dateOf(b) - dateOf(a);
  }
}

/** The items in the chosen order (a new array). Sorting is kept apart from filtering so that typing in
 * the search box filters an already sorted list (filter keeps the order) instead of sorting again. */
export function sortVoicemails(items: readonly VoicemailItem[], sort: VoicemailSort): VoicemailItem[] {
  return [...items].sort(comparator(sort));
}

/** The sorted items that pass the filter and the search text, in the same order. */
export function filterVoicemails(sorted: readonly VoicemailItem[], text: string, filter: VoicemailFilter, now: number): VoicemailItem[] {
  const n = needleOf(text);
  if (n.text === '' && filter === 'all') return sorted as VoicemailItem[];
  return sorted.filter((v) => matchesFilter(v, filter, now) && matchesNeedle(v, n));
}

/** The items to show, in order. Never mutates `items`. */
export function viewOf(items: readonly VoicemailItem[], q: ViewQuery, now: number): VoicemailItem[] {
  return filterVoicemails(sortVoicemails(items, q.sort), q.text, q.filter, now);
}
