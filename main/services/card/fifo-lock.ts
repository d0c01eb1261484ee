// A first-in first-out lock for one card channel. Callers are served in the order they asked; a caller
// whose signal aborts while waiting leaves the queue without ever holding the lock. Not reentrant: code
// holding it must not ask for it again (the card session hands such code an unlocked view instead).
import { CancelledError, throwIfAborted } from '../../errors.js';

interface Waiter {
  grant: () => void;
}

/** A FIFO mutex with abortable waiting. */
export class FifoLock {
  private held = false;
  private readonly queue: Waiter[] = [];

  /** Callers waiting for the lock (not counting the holder). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Waits for the lock; resolves with its release function (idempotent). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    throwIfAborted(signal);
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Runs `fn` holding the lock and releases it whatever happens. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next) next.grant();
      else this.held = false;
    };
  }
}
