// Card latency for the benchmarks: the simulated card answers in microseconds, a real SIM takes
// 100-200 ms per AUTHENTICATE or GBA command and runs one command at a time.
import type { AkaCard } from '../../main/services/contracts.js';

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Wraps a card so every operation takes `ms` and operations queue one after another, as on a real SIM. */
export function slowSerialCard(card: AkaCard, ms: number): AkaCard & { ops: number } {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(async () => {
      c.ops++;
      await sleep(ms);
      return fn();
    });
    tail = run.catch(() => undefined);
    return run;
  };
  const c = {
    ops: 0,
    get identity() {
      return card.identity;
    },
    authenticate: (rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal) => serial(() => card.authenticate(rand, autn, signal)),
    gbaBootstrap: (rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal) => serial(() => card.gbaBootstrap(rand, autn, signal)),
    gbaStoreBootstrap: (btid: string, lifetime: string, signal?: AbortSignal) => serial(() => card.gbaStoreBootstrap(btid, lifetime, signal)),
    gbaDeriveNafKey: (nafId: Uint8Array, impi: string, signal?: AbortSignal) => serial(() => card.gbaDeriveNafKey(nafId, impi, signal)),
  };
  return c;
}
