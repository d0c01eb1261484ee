// The ten `reason-phrase` values of a refused PIN change (mstore-protocol.md `/vvmserviceProfile`)
// mapped to messages a user can act on.
import { PIN_REJECT_REASONS, type PinRejectReason } from '../../../shared/domain/mstore.js';

const MESSAGES: Record<PinRejectReason, string> = {
  'PIN has Repeated Digits': 'The new PIN repeats the same digit; choose one with varied digits.',
  'PIN has Consecutive Numbers': 'The new PIN is a run of consecutive numbers (like 1234); choose another.',
  'PIN recently Changed': 'The PIN was changed recently; the carrier does not allow another change yet.',
  'PIN last 4 digit match MSISDN': 'The new PIN matches the last digits of your phone number; choose another.',
  'PIN has invalid Character': 'The new PIN may contain digits only.',
  'PIN in Use': 'The new PIN was used before; choose one you have not used.',
  'PIN length too Long': 'The new PIN is too long.',
  'PIN length too Short': 'The new PIN is too short (at least 4 digits).',
  'Invalid OLD PIN': 'The current PIN is wrong.',
  'VVM Not Active': 'Visual voicemail is not active; activate it first (profile activate).',
};

/** Typed reason of a refused PIN change: one of the ten values, or 'unknown' (no or another header). */
export function pinRejection(reasonPhrase: string | undefined): { reason: PinRejectReason | 'unknown'; message: string } {
  const r = PIN_REJECT_REASONS.find((x) => x === reasonPhrase?.trim());
  if (r === undefined) return { reason: 'unknown', message: 'The server refused the PIN change without saying why.' };
  return { reason: r, message: MESSAGES[r] };
}
