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

/** State of one command exchange: the command, the APDU last sent, response data so far, round trips. */
export interface ExchangeState {
  command: CommandApdu;
  /** The command last sent (the original, a GET RESPONSE, or a resend with corrected Le). */
  last: CommandApdu;
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
  return { apdu: commandForProtocol(c, protocol), state: { command: c, last: c, collected: new Uint8Array(0), rounds: 1 } };
}

/**
 * Next step after a response (ISO/IEC 7816-4 5.1.3, ISO/IEC 7816-3 10.3.3): 61xx -> GET RESPONSE
 * `CLA C0 00 00 xx` with the command's CLA (keeps the logical channel); 6Cxx -> resend the APDU that got
 * it (the command or a GET RESPONSE) with Le = xx; anything else ends the exchange with the data gathered
 * so far plus this response's data.
 */
export function nextExchangeStep(state: ExchangeState, responseBytes: Uint8Array, protocol: TransmissionProtocol): ExchangeStep {
  const r = parseResponse(responseBytes);
  const cls = classifySw(r.sw);
  if (cls.kind === 'moreData' || cls.kind === 'wrongLe') {
    if (state.rounds >= MAX_EXCHANGE_ROUNDS) throw new MalformedError('card kept asking for GET RESPONSE / resend');
    if (cls.kind === 'moreData') {
      const next: CommandApdu = { cla: state.command.cla, ins: 0xc0, p1: 0, p2: 0, le: cls.available };
      return { kind: 'send', apdu: encodeCommand(next), state: { ...state, last: next, collected: concatBytes(state.collected, r.data), rounds: state.rounds + 1 } };
    }
    // 6Cxx carries no data to keep. A case-4 command on T=0 went without Le and so never gets 6Cxx
    // itself; if a card sends it anyway, Le is added (the only way to state the length).
    const next: CommandApdu = { ...state.last, le: cls.exact };
    const apdu = state.last.data !== undefined && state.last.le === undefined && protocol === 'T0' ? encodeCommand(next) : commandForProtocol(next, protocol);
    return { kind: 'send', apdu, state: { ...state, last: next, rounds: state.rounds + 1 } };
  }
  return { kind: 'done', data: concatBytes(state.collected, r.data), sw: r.sw };
}
