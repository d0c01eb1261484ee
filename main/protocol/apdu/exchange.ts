// The transport-level exchange rules of ETSI TS 102 221 7.3.1 / ISO/IEC 7816-3 for T=0, as a pure step
// function: the caller sends what this says and feeds back each response until it says done.
import { concatBytes } from '../../../shared/bytes.js';
import { encodeCommand, parseResponse, type CommandApdu } from './command.js';
import { classifySw } from './status.js';
import { MalformedError } from './malformed.js';

/** The active transmission protocol. */
export type TransmissionProtocol = 'T0' | 'T1';

/** Bytes to put on the wire for a command. On T=0 a case-4 command is sent without Le (TS 102 221 7.3.1.1.4). */
export function commandForProtocol(c: CommandApdu, protocol: TransmissionProtocol): Uint8Array {
  if (protocol === 'T0' && c.data !== undefined && c.data.length > 0 && c.le !== undefined) {
    const { le: _le, ...rest } = c;
    return encodeCommand(rest);
  }
  return encodeCommand(c);
}

/** State of one command exchange: response data gathered so far and the number of round trips. */
export interface ExchangeState {
  command: CommandApdu;
  collected: Uint8Array;
  rounds: number;
}

/** What to do after a response: send another APDU, or the exchange is complete. */
export type ExchangeStep =
  | { kind: 'send'; apdu: Uint8Array; state: ExchangeState }
  | { kind: 'done'; data: Uint8Array; sw: number };

/** Bound on GET RESPONSE / resend rounds, so a card that keeps answering 61xx cannot loop us forever. */
export const MAX_EXCHANGE_ROUNDS = 16;

/** Starts an exchange: the first APDU to send. */
export function startExchange(c: CommandApdu, protocol: TransmissionProtocol): { apdu: Uint8Array; state: ExchangeState } {
  return { apdu: commandForProtocol(c, protocol), state: { command: c, collected: new Uint8Array(0), rounds: 1 } };
}

/**
 * Next step after a response (ISO/IEC 7816-4 5.1.3): 61xx -> GET RESPONSE `CLA C0 00 00 xx` with the
 * command's CLA (keeps the logical channel); 6Cxx -> resend the command with Le = xx; anything else ends
 * the exchange with the data gathered so far plus this response's data.
 */
export function nextExchangeStep(state: ExchangeState, responseBytes: Uint8Array, protocol: TransmissionProtocol): ExchangeStep {
  const r = parseResponse(responseBytes);
  const cls = classifySw(r.sw);
  const collected = concatBytes(state.collected, r.data);
  if (cls.kind === 'moreData' || cls.kind === 'wrongLe') {
    if (state.rounds >= MAX_EXCHANGE_ROUNDS) throw new MalformedError('card kept asking for GET RESPONSE / resend');
    if (cls.kind === 'moreData') {
      const apdu = encodeCommand({ cla: state.command.cla, ins: 0xc0, p1: 0, p2: 0, le: cls.available });
      return { kind: 'send', apdu, state: { ...state, collected, rounds: state.rounds + 1 } };
    }
    // 6Cxx: resend the same command with the exact Le. On T=0 a case-4 command never gets 6Cxx, since
    // Le was dropped; a case-2 command is re-sent with P3 = xx.
    const apdu = encodeCommand({ ...state.command, le: cls.exact });
    void protocol;
    return { kind: 'send', apdu, state: { ...state, collected: state.collected, rounds: state.rounds + 1 } };
  }
  return { kind: 'done', data: collected, sw: r.sw };
}
