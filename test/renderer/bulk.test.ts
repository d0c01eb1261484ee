import { describe, expect, it } from 'vitest';
import { chunks, failuresOf, outcomeText, progressText, type BulkOutcome } from '../../renderer/bulk.js';
import { describeError } from '../../renderer/messages.js';
import type { ErrorDetail } from '../../shared/errors.js';

const base: BulkOutcome = { kind: 'export', total: 3, succeeded: 3, failures: [], cancelled: false, error: null };

describe('bulk actions in words', () => {
  it('splits into requests of at most 100', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `v${i}`);
    expect(chunks(ids).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks([])).toEqual([]);
  });

  it('success, partial failure with the reasons, total failure, cancel', () => {
    expect(outcomeText(base)).toEqual({ severity: 'success', text: 'Exported 3 voicemails.' });
    expect(outcomeText({ ...base, succeeded: 1, failures: [{ id: 'b', reason: 'No longer on the server' }, { id: 'c', reason: 'No longer on the server' }] })).toEqual({
      severity: 'warning',
      text: 'Exported 1 of 3: 2 failed (No longer on the server).',
    });
    expect(outcomeText({ ...base, kind: 'delete', succeeded: 0, failures: [{ id: 'a', reason: 'x' }, { id: 'b', reason: 'y' }, { id: 'c', reason: 'y' }] }).text).toBe('Deleted none of 3: 3 failed (y; x).');
    const offline = { code: 'net.offline' as const, message: 'The server cannot be reached', retryable: true };
    // The error is worded by the window's messages module, not the service's message.
    expect(outcomeText({ ...base, succeeded: 0, error: offline })).toEqual({ severity: 'error', text: `Exporting failed: ${describeError(offline).text}` });
    expect(outcomeText({ ...base, kind: 'delete', total: 300, succeeded: 100, cancelled: true }).text).toBe('Cancelled: deleted 100 of 300, 200 not attempted.');
    expect(outcomeText({ ...base, kind: 'read', total: 1, succeeded: 1 }).text).toBe('Marked as read 1 voicemail.');
    expect(progressText('export', 40, 300)).toBe('Exporting 40 of 300…');
  });

  it('reads the failed ids of a partial error, and nothing else', () => {
    const partial = { code: 'mstore.partial' as const, message: 'Delete: 1 of 2 failed', retryable: false, detail: { failed: ['b'], reasons: ['gone'] } };
    expect(failuresOf(partial)).toEqual([{ id: 'b', reason: 'gone' }]);
    expect(failuresOf({ ...partial, detail: JSON.parse('{"failed":["b",7]}') as ErrorDetail })).toEqual([{ id: 'b', reason: 'Delete: 1 of 2 failed' }]);
    expect(failuresOf({ ...partial, detail: { failed: 'b' } })).toBeNull();
    expect(failuresOf({ code: 'net.offline', message: 'x', retryable: true })).toBeNull();
  });
});
