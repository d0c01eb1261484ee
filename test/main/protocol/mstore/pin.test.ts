// The ten reason-phrase values of a refused PIN change (mstore-protocol.md /vvmserviceProfile), each mapped
// to its own message; anything else is 'unknown'.
import { describe, expect, it } from 'vitest';
import { PIN_REJECT_REASONS } from '../../../../shared/domain/mstore.js';
import { pinRejection } from '../../../../main/protocol/mstore/pin.js';

describe('pinRejection', () => {
  it('maps each of the ten reasons to itself with a distinct message', () => {
    const messages = PIN_REJECT_REASONS.map((r) => {
      const m = pinRejection(r);
      expect(m.reason).toBe(r);
      expect(m.message.length).toBeGreaterThan(10);
      return m.message;
    });
    expect(new Set(messages).size).toBe(10);
    expect(pinRejection('  PIN in Use ').reason).toBe('PIN in Use');
  });

  it('a missing, differently cased or unknown header is unknown', () => {
    for (const h of [undefined, '', 'pin in use', 'PIN too Pretty']) expect(pinRejection(h).reason).toBe('unknown');
  });
});
