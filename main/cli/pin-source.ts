// The CLI's SIM PIN source: VVM_SIM_PIN, else a no-echo prompt when a terminal is attached, else a clear
// card.pinRequired error. A PIN the card rejected is never offered again in this process.
import { CardError } from '../errors.js';
import type { PinSource } from '../services/card/pin-source.js';
import type { CliIo } from './framework.js';

/** Builds the CLI PinSource over the process environment and terminal. */
export function cliPinSource(io: CliIo): PinSource {
  let rejected = false;
  return {
    async getPin(req) {
      if (rejected) return null;
      const env = io.env.VVM_SIM_PIN;
      if (env !== undefined && env !== '') return env;
      const tries = `${req.triesLeft} ${req.triesLeft === 1 ? 'try' : 'tries'} left`;
      const typed = await io.promptSecret(`SIM PIN for the card in ${req.readerName} (${tries}): `);
      if (typed === null) {
        throw new CardError('card.pinRequired', `The SIM needs its PIN (${tries}) and no terminal is attached to ask for it`, {
          hint: 'Set VVM_SIM_PIN to the SIM PIN, or run the command in a terminal.',
          detail: { triesLeft: req.triesLeft },
        });
      }
      return typed.trim() === '' ? null : typed.trim();
    },
    async pinRejected() {
      // Nothing stored to delete (env or typed); make sure it is not offered again.
      rejected = true;
    },
  };
}
