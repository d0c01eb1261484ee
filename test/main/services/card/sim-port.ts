// Test helpers for card-session tests: a CardPort straight onto a SimulatedUicc that records what was
// sent, and a PinSource that records what it was asked.
import { toHex } from '../../../../shared/bytes.js';
import type { CardPort } from '../../../../main/services/ports.js';
import type { PinRequest, PinSource } from '../../../../main/services/card/pin-source.js';
import type { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { DEMO_READER_NAME } from '../../../../main/sim/card/in-process-reader.js';

/**
 * A port over the simulated card that records every APDU sent (hex). With `delayMs` every answer waits
 * on a timer first, so callers that are not serialised WOULD interleave their exchanges.
 */
export function recordingPort(card: SimulatedUicc, delayMs?: number): { port: CardPort; sent: string[] } {
  const sent: string[] = [];
  card.reset();
  return {
    sent,
    port: {
      protocol: card.protocol,
      readerName: DEMO_READER_NAME,
      transmit: async (apdu) => {
        sent.push(toHex(apdu));
        if (delayMs !== undefined) await new Promise((r) => setTimeout(r, delayMs));
        return card.transmit(apdu);
      },
      close: async () => {},
    },
  };
}

/** A PinSource that always offers `pin` and records its calls. */
export function pinSource(pin: string | null) {
  const calls = { get: [] as PinRequest[], rejected: [] as PinRequest[], accepted: 0 };
  const src: PinSource = {
    getPin: async (r) => {
      calls.get.push(r);
      return pin;
    },
    pinRejected: async (r) => {
      calls.rejected.push(r);
    },
    pinAccepted: async () => {
      calls.accepted++;
    },
  };
  return { src, calls };
}
