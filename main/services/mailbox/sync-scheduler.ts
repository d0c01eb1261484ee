// Background sync of the library while the app runs (issue 9): every `intervalMs`, right after a card is
// inserted (start()), and on demand (syncNow()). Never two at once: a request while one runs joins it.
// Errors back off exponentially (retryBaseMs, doubled per failure, capped at the interval's maxBackoff
// factor); the first success resets it. stop() (the card went) cancels the running sync and the timer.
import type { AppError } from '../../../shared/errors.js';
import { CancelledError, toAppError } from '../../errors.js';
import type { Progress } from '../ports.js';

/** Timers for background work (a fake clock drives them in tests). */
export interface TimerPort {
  /** Epoch ms now. */
  now(): number;
  /** Calls `fn` after `ms`; returns the handle for {@link TimerPort.clear}. Timers never keep the process alive. */
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The system's timers (unref'd, so a pending background sync never keeps the process alive). */
export const SYSTEM_TIMERS: TimerPort = {
  now: () => Date.now(),
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What the scheduler reports (pushed on every change). */
export interface SyncSchedulerStatus {
  /** 'stopped': no card (or not started); 'idle': waiting for the next run; 'syncing': one runs now. */
  state: 'stopped' | 'idle' | 'syncing';
  /** Epoch ms of the last run that finished without throwing, or null. */
  lastSyncAt: number | null;
  /** The error of the last run when it failed (cleared by the next success). */
  lastError: AppError | null;
  /** Epoch ms of the next scheduled run, or null. */
  nextAt: number | null;
  /** Progress of the running sync. */
  progress: Progress | null;
  /** Consecutive failed runs (the back-off exponent). */
  failures: number;
}

/** What {@link createSyncScheduler} needs. */
export interface SyncSchedulerDeps<R> {
  /** One sync; must honour the signal. Throwing counts as a failure (back-off); returning as success. */
  run(signal: AbortSignal, onProgress: (p: Progress) => void): Promise<R>;
  timers: TimerPort;
  /** Interval between runs (read at each scheduling, so a changed setting applies to the next wait). */
  intervalMs(): number;
  /** First back-off delay after a failure (default 30 s). */
  retryBaseMs?: number;
  /** Longest back-off delay (default: the interval times 8). */
  maxBackoffMs?: () => number;
  onStatus?(s: SyncSchedulerStatus): void;
  /** A run finished (not cancelled): its result, for notifications and the window's refresh. */
  onResult?(r: R): void;
}

/** The scheduler. */
export interface SyncScheduler<R> {
  /** A card is ready: sync now, then every interval. Idempotent while running. */
  start(): void;
  /** The card went: cancels the running sync and the timer. */
  stop(): void;
  /**
   * Syncs now (joining a run in progress); resolves with its result, or rejects with its error. Works
   * while stopped too (the caller made sure the card is there), without starting the timer.
   */
  syncNow(): Promise<R>;
  status(): SyncSchedulerStatus;
}

/** Builds a scheduler; nothing runs until start() or syncNow(). */
export function createSyncScheduler<R>(deps: SyncSchedulerDeps<R>): SyncScheduler<R> {
  const retryBaseMs = deps.retryBaseMs ?? 30_000;
  let started = false;
  let timer: unknown = null;
  let running: { promise: Promise<R>; abort: AbortController } | null = null;
  let status: SyncSchedulerStatus = { state: 'stopped', lastSyncAt: null, lastError: null, nextAt: null, progress: null, failures: 0 };

  function set(patch: Partial<SyncSchedulerStatus>): void {
    status = { ...status, ...patch };
    deps.onStatus?.(status);
  }

  function clearTimer(): void {
    if (timer !== null) deps.timers.clear(timer);
    timer = null;
  }

  function schedule(): void {
    clearTimer();
    if (!started) {
      set({ nextAt: null });
      return;
    }
    const interval = deps.intervalMs();
    const delay = status.failures === 0 ? interval : Math.min(retryBaseMs * 2 ** (status.failures - 1), deps.maxBackoffMs?.() ?? interval * 8);
    timer = deps.timers.set(() => {
      timer = null;
      void runOnce().catch(() => {});
    }, delay);
    set({ nextAt: deps.timers.now() + delay });
  }

  function runOnce(): Promise<R> {
    if (running && !running.abort.signal.aborted) return running.promise;
    // A cancelled run still winding down: the new one starts once it has (never two at once).
    if (running) return running.promise.then(runOnce, runOnce);
    clearTimer();
    const abort = new AbortController();
    set({ state: 'syncing', nextAt: null, progress: null });
    const promise = (async () => {
      try {
        const r = await deps.run(abort.signal, (p) => set({ progress: p }));
        if (abort.signal.aborted) throw new CancelledError();
        set({ lastSyncAt: deps.timers.now(), lastError: null, failures: 0, progress: null });
        deps.onResult?.(r);
        return r;
      } catch (e) {
        // A cancelled run (the card went, the app quits) is no failure: no back-off, no error shown.
        if (!abort.signal.aborted) set({ lastError: toAppError(e), failures: status.failures + 1, progress: null });
        throw e;
      } finally {
        running = null;
        set({ state: started ? 'idle' : 'stopped', progress: null });
        if (started && !abort.signal.aborted) schedule();
      }
    })();
    running = { promise, abort };
    return promise;
  }

  return {
    start() {
      if (started) return;
      started = true;
      set({ state: running ? 'syncing' : 'idle' });
      void runOnce().catch(() => {});
    },
    stop() {
      started = false;
      clearTimer();
      running?.abort.abort();
      set({ state: running ? 'syncing' : 'stopped', nextAt: null });
    },
    syncNow: () => runOnce(),
    status: () => status,
  };
}
