// Bulk actions of the voicemail tab: split into requests the relay accepts, and the outcome in words
// ("Exported 1 of 3: 2 failed (No longer on the server)"). Pure, so the wording is tested directly.
import type { AppError } from '../shared/errors.js';
import { describeError } from './messages.js';

/** The relay takes at most this many objects per bulk request (ObjectIds in the contract). */
export const MAX_PER_REQUEST = 100;

/** What a bulk action does. */
export type BulkKind = 'delete' | 'export' | 'read' | 'unread';

/** One item that failed and why. */
export interface BulkFailure {
  id: string;
  reason: string;
}

/** How a bulk action ended. */
export interface BulkOutcome {
  kind: BulkKind;
  total: number;
  /** Items done successfully. */
  succeeded: number;
  failures: BulkFailure[];
  /** The user pressed Cancel: items after that point were not attempted. */
  cancelled: boolean;
  /** An error that stopped the action (not tied to one item). */
  error: AppError | null;
  /** Export only: the folder written to, for display. */
  folder?: string | null;
}

/** `ids` in requests of at most {@link MAX_PER_REQUEST}. */
export function chunks<T>(ids: readonly T[], size = MAX_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * The ids a `mstore.partial` error names as failed (detail.failed) with their reasons (detail.reasons),
 * or null when the error names none (then the whole request failed).
 */
export function failuresOf(error: AppError): BulkFailure[] | null {
  if (error.code !== 'mstore.partial') return null;
  const d: unknown = error.detail;
  if (typeof d !== 'object' || d === null || !('failed' in d) || !Array.isArray(d.failed)) return null;
  const reasons: unknown[] = 'reasons' in d && Array.isArray(d.reasons) ? d.reasons : [];
  const out: BulkFailure[] = [];
  d.failed.forEach((id: unknown, i: number) => {
    if (typeof id !== 'string') return;
    const r = reasons[i];
    out.push({ id, reason: typeof r === 'string' && r !== '' ? r : error.message });
  });
  return out;
}

const VERB: Record<BulkKind, [done: string, doing: string]> = {
  delete: ['Deleted', 'Deleting'],
  export: ['Exported', 'Exporting'],
  read: ['Marked as read', 'Marking as read'],
  unread: ['Marked as unread', 'Marking as unread'],
};

function voicemails(n: number): string {
  return n === 1 ? '1 voicemail' : `${n} voicemails`;
}

/** "Exporting 40 of 300…" */
export function progressText(kind: BulkKind, done: number, total: number): string {
  return total <= 1 ? `${VERB[kind][1]}…` : `${VERB[kind][1]} ${done} of ${total}…`;
}

/** The distinct reasons, most frequent first, at most three. */
function reasons(failures: BulkFailure[]): string {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  return sorted.slice(0, 3).join('; ') + (sorted.length > 3 ? '; …' : '');
}

/** The outcome in one sentence, and how serious it is. */
export function outcomeText(o: BulkOutcome): { severity: 'success' | 'warning' | 'error' | 'info'; text: string } {
  const [done] = VERB[o.kind];
  const failed = o.failures.length;
  if (o.cancelled) {
    const rest = o.total - o.succeeded - failed;
    return { severity: 'info', text: `Cancelled: ${done.toLowerCase()} ${o.succeeded} of ${o.total}${failed > 0 ? `, ${failed} failed` : ''}${rest > 0 ? `, ${rest} not attempted` : ''}.` };
  }
  if (o.error && o.succeeded === 0 && failed === 0) return { severity: 'error', text: `${VERB[o.kind][1]} failed: ${describeError(o.error).text}` };
  if (failed === 0 && !o.error) return { severity: 'success', text: `${done} ${voicemails(o.succeeded)}.` };
  const notDone = o.total - o.succeeded;
  const why = failed > 0 ? reasons(o.failures) : o.error ? describeError(o.error).text : '';
  if (o.succeeded === 0) return { severity: 'error', text: `${done} none of ${o.total}: ${notDone} failed (${why}).` };
  return { severity: 'warning', text: `${done} ${o.succeeded} of ${o.total}: ${notDone} failed (${why}).` };
}
