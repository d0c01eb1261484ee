// The background sync scheduler on a fake clock: sync at start (card inserted), every interval, on
// demand; never two at once; exponential back-off on errors, reset by a success; stop() (card gone)
// cancels the running sync and nothing runs afterwards.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../main/errors.js';
import { createSyncScheduler, type SyncSchedulerStatus, type TimerPort } from '../../../../main/services/mailbox/sync-scheduler.js';

/** Timers on a clock that only moves when the test says so. */
function fakeTimers() {
  let now = 1_000_000;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: TimerPort = {
    now: () => now,
    set(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    /** Delays of the timers pending now. */
    delays: () => [...pending.values()].map((p) => p.at - now),
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        pending.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** A sync the test finishes by hand, counting how many run at once. */
function controlledRun() {
  const calls: { resolve: (v: number) => void; reject: (e: unknown) => void; signal: AbortSignal }[] = [];
  let active = 0;
  let maxActive = 0;
  return {
    calls,
    get maxActive() {
      return maxActive;
    },
    run(signal: AbortSignal): Promise<number> {
      active++;
      maxActive = Math.max(maxActive, active);
      return new Promise<number>((resolve, reject) => {
        const done = () => active--;
        signal.addEventListener('abort', () => {
          done();
          reject(new CancelledError());
        });
        calls.push({ resolve: (v) => (done(), resolve(v)), reject: (e) => (done(), reject(e)), signal });
      });
    },
  };
}

const MIN = 60_000;

describe('sync scheduler', () => {
  it('syncs when started (card inserted), then every interval', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const results: number[] = [];
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => 5 * MIN, onResult: (v) => results.push(v) });
    expect(r.calls).toHaveLength(0);
    s.start();
    expect(r.calls).toHaveLength(1);
    expect(s.status().state).toBe('syncing');
    r.calls[0]?.resolve(1);
    await settle();
    expect(results).toEqual([1]);
    expect(s.status()).toMatchObject({ state: 'idle', lastError: null, failures: 0, nextAt: clock.timers.now() + 5 * MIN });
    await clock.advance(5 * MIN - 1);
    expect(r.calls).toHaveLength(1);
    await clock.advance(1);
    expect(r.calls).toHaveLength(2);
  });

  it('never runs two at once: syncNow during a run joins it, and the timer does not fire meanwhile', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => MIN });
    s.start();
    const a = s.syncNow();
    const b = s.syncNow();
    await clock.advance(10 * MIN); // no timer is pending while a sync runs
    expect(r.calls).toHaveLength(1);
    r.calls[0]?.resolve(7);
    expect(await a).toBe(7);
    expect(await b).toBe(7);
    expect(r.maxActive).toBe(1);
    // On demand again once idle: a new run.
    const c = s.syncNow();
    expect(r.calls).toHaveLength(2);
    r.calls[1]?.resolve(8);
    expect(await c).toBe(8);
  });

  it('backs off exponentially on errors and returns to the interval after a success', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const statuses: SyncSchedulerStatus[] = [];
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => 10 * MIN, retryBaseMs: 30_000, onStatus: (st) => statuses.push(st) });
    s.start();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      r.calls[i]?.reject(new Error('relay down'));
      await settle();
      const [d] = clock.delays();
      waits.push(d ?? -1);
      await clock.advance(d ?? 0);
    }
    // 30 s, 60 s, 120 s, 240 s, 480 s: doubled each time, capped at 8 x the interval (80 min) later.
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(s.status().failures).toBe(5);
    expect(s.status().lastError?.code).toBe('internal');
    r.calls[5]?.resolve(1);
    await settle();
    expect(s.status()).toMatchObject({ failures: 0, lastError: null });
    expect(clock.delays()).toEqual([10 * MIN]);
    expect(statuses.some((st) => st.state === 'syncing')).toBe(true);
  });

  it('the back-off is capped', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => MIN, retryBaseMs: 30_000 });
    s.start();
    for (let i = 0; i < 8; i++) {
      r.calls[i]?.reject(new Error('down'));
      await settle();
      await clock.advance(clock.delays()[0] ?? 0);
    }
    r.calls[8]?.reject(new Error('down'));
    await settle();
    expect(clock.delays()).toEqual([8 * MIN]);
  });

  it('stop (card removed) cancels the running sync without counting a failure, and nothing runs afterwards', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => MIN });
    s.start();
    const running = r.calls[0];
    s.stop();
    expect(running?.signal.aborted).toBe(true);
    await settle();
    expect(s.status()).toMatchObject({ state: 'stopped', failures: 0, lastError: null, nextAt: null });
    await clock.advance(60 * MIN);
    expect(r.calls).toHaveLength(1);
    // Inserted again: syncs at once.
    s.start();
    await settle();
    expect(r.calls).toHaveLength(2);
    expect(r.maxActive).toBe(1);
  });

  it('stop while idle clears the timer', async () => {
    const clock = fakeTimers();
    const r = controlledRun();
    const s = createSyncScheduler({ run: (sig) => r.run(sig), timers: clock.timers, intervalMs: () => MIN });
    s.start();
    r.calls[0]?.resolve(1);
    await settle();
    expect(clock.delays()).toEqual([MIN]);
    s.stop();
    expect(clock.delays()).toEqual([]);
    await clock.advance(10 * MIN);
    expect(r.calls).toHaveLength(1);
  });
});
