// The one error pure card-protocol code throws: the bytes do not follow the encoding the spec defines.
// Services turn it into CardError('card.apdu'); the simulated card turns it into a status word.

/** Bytes that do not follow ISO/IEC 7816-4, ETSI TS 102 221 or 3GPP TS 31.10x encoding rules. */
export class MalformedError extends Error {
  override readonly name = 'MalformedError' as const;
}
