// watchWithRetry (main/app.ts): the desktop's card presence watch survives a smart-card service that
// starts after the app.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchWithRetry } from '../../main/app.js';
import { CardError } from '../../main/errors.js';
import type { ReaderEvent } from '../../main/services/ports.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A reader port whose service is down until `start()`; `emit` plays pcscd's events to the watchers. */
function port() {
  let up = false;
  const listeners = new Set<(e: ReaderEvent) => void>();
  let calls = 0;
  return {
    watch(l: (e: ReaderEvent) => void) {
      calls++;
      if (!up) throw new CardError('card.serviceUnavailable', 'The smart-card service is not running', { hint: 'Start pcscd.' });
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    start: () => void (up = true),
    emit: (e: ReaderEvent) => listeners.forEach((l) => l(e)),
    get calls() {
      return calls;
    },
    get watching() {
      return listeners.size;
    },
  };
}

describe('watchWithRetry', () => {
  it('keeps trying while the service is down, then delivers events; stops trying once watching', () => {
    const p = port();
    const seen: ReaderEvent[] = [];
    const stop = watchWithRetry(p, (e) => seen.push(e), 5000);
    expect(p.calls).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(p.calls).toBe(3);
    p.start();
    vi.advanceTimersByTime(5000);
    expect(p.watching).toBe(1);
    p.emit({ kind: 'cardInserted', reader: 'Virtual PCD 00 00' });
    expect(seen).toEqual([{ kind: 'cardInserted', reader: 'Virtual PCD 00 00' }]);
    vi.advanceTimersByTime(20_000);
    expect(p.calls).toBe(4);
    stop();
    expect(p.watching).toBe(0);
  });

  it('watches at once when the service runs, and unsubscribing while still retrying ends the retries', () => {
    const up = port();
    up.start();
    const stopUp = watchWithRetry(up, () => {}, 5000);
    expect(up.watching).toBe(1);
    stopUp();
    expect(up.watching).toBe(0);

    const down = port();
    const stopDown = watchWithRetry(down, () => {}, 5000);
    stopDown();
    vi.advanceTimersByTime(30_000);
    expect(down.calls).toBe(1);
  });
});
