// Status word classification, ISO/IEC 7816-4 5.1.3 and ETSI TS 102 221 10.2.1, plus the AUTHENTICATE
// specific codes of 3GPP TS 31.102 7.3 / TS 31.103 7.3.

/** What a status word means to the caller. */
export type StatusClass =
  | { kind: 'ok' }
  | { kind: 'moreData'; available: number } // 61xx: GET RESPONSE with Le = xx (00 = 256)
  | { kind: 'wrongLe'; exact: number } // 6Cxx: resend with Le = xx
  | { kind: 'verifyFailed'; triesLeft: number } // 63Cx
  | { kind: 'pinBlocked' } // 6983
  | { kind: 'securityNotSatisfied' } // 6982
  | { kind: 'authMacFailure' } // 9862: AUTHENTICATE, MAC verification failed (TS 31.102 7.3)
  | { kind: 'authContextUnsupported' } // 9864
  | { kind: 'fileNotFound' } // 6A82
  | { kind: 'error'; sw: number; description: string };

const DESCRIPTIONS: Record<number, string> = {
  0x6281: 'part of returned data may be corrupted',
  0x6282: 'end of file reached before reading Le bytes',
  0x6700: 'wrong length',
  0x6881: 'logical channel not supported',
  0x6981: 'command incompatible with file structure',
  0x6982: 'security status not satisfied',
  0x6983: 'authentication method blocked',
  0x6985: 'conditions of use not satisfied',
  0x6986: 'command not allowed (no EF selected)',
  0x6a80: 'incorrect parameters in the data field',
  0x6a81: 'function not supported',
  0x6a82: 'file or application not found',
  0x6a83: 'record not found',
  0x6a84: 'not enough memory space in the file',
  0x6a86: 'incorrect parameters P1-P2',
  0x6a88: 'referenced data not found',
  0x6b00: 'wrong parameters P1-P2 (offset outside the EF)',
  0x6d00: 'instruction code not supported',
  0x6e00: 'class not supported',
  0x6f00: 'technical problem, no precise diagnosis',
  0x9862: 'authentication error, incorrect MAC',
  0x9864: 'authentication error, security context not supported',
};

/** A short English description of a status word, for error details (never contains data). */
export function describeSw(sw: number): string {
  const hex = sw.toString(16).padStart(4, '0').toUpperCase();
  const known = DESCRIPTIONS[sw];
  if (known) return `${hex} ${known}`;
  if ((sw & 0xff00) === 0x6100) return `${hex} response bytes available`;
  if ((sw & 0xff00) === 0x6c00) return `${hex} wrong Le`;
  if ((sw & 0xfff0) === 0x63c0) return `${hex} verification failed`;
  return `${hex} unexpected status`;
}

/** Classifies a status word. 9000 and the proactive-command 91xx are success (TS 102 221 10.2.1.1). */
export function classifySw(sw: number): StatusClass {
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw === 0x9000 || sw1 === 0x91 || sw1 === 0x92) return { kind: 'ok' };
  if (sw1 === 0x61 || sw1 === 0x9f) return { kind: 'moreData', available: sw2 === 0 ? 256 : sw2 };
  if (sw1 === 0x6c) return { kind: 'wrongLe', exact: sw2 === 0 ? 256 : sw2 };
  if ((sw & 0xfff0) === 0x63c0) return { kind: 'verifyFailed', triesLeft: sw2 & 0x0f };
  if (sw === 0x6983) return { kind: 'pinBlocked' };
  if (sw === 0x6982) return { kind: 'securityNotSatisfied' };
  if (sw === 0x9862) return { kind: 'authMacFailure' };
  if (sw === 0x9864) return { kind: 'authContextUnsupported' };
  if (sw === 0x6a82) return { kind: 'fileNotFound' };
  return { kind: 'error', sw, description: describeSw(sw) };
}
