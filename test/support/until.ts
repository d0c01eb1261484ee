// Waiting in tests for something another part of the program does on its own time (a scheduler, a card
// watcher): polls a condition and fails with what it waited for.

/** Resolves once `cond()` holds, checking every `everyMs`; rejects "timed out waiting for <what>" after `timeoutMs`. */
export async function until(what: string, cond: () => boolean, timeoutMs: number, everyMs = 10): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
