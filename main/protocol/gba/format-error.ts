// The error pure GBA code throws for malformed network input (nonce, BootstrappingInfo, B-TID, addresses).
// Services map it to GbaError('gba.malformed'); messages describe the problem, never the values.

/** What was malformed. */
export type GbaFormatReason = 'nonce' | 'xml' | 'btid' | 'lifetime' | 'address' | 'nafId';

/** Malformed GBA input. */
export class GbaFormatError extends Error {
  override readonly name = 'GbaFormatError' as const;
  constructor(
    readonly reason: GbaFormatReason,
    message: string,
  ) {
    super(message);
  }
}
