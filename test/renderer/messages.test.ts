import { describe, expect, it } from 'vitest';
import { ERROR_ACTIONS, ERROR_CODES, type AppError } from '../../shared/errors.js';
import { describeError } from '../../renderer/messages.js';

const CLI_WORDS = /(^|\s)--[a-z]|VVM_[A-Z]|FFMPEG_PATH|vvm-desk\s|\b(search|update|download|profile):/;

function err(code: AppError['code'], extra: Partial<AppError> = {}): AppError {
  return { code, message: 'search: failed, try --bsf or VVM_SIM_PIN or `vvm-desk doctor`', hint: 'Set VVM_SIM_PIN.', retryable: false, ...extra };
}

describe('the window words errors itself', () => {
  it('no code or action ever shows a CLI flag, env var, vvm-desk command or operation name (for codes it words itself)', () => {
    // Codes whose service message is shown (the specifics live there) are kept clean at the source by
    // test/main/messages-scan.test.ts; every other code must not leak the service's CLI-worded text.
    const own = ERROR_CODES.filter((c) => !['gba.realmMismatch', 'mstore.partial', 'mstore.pinRejected', 'audio.invalid', 'fs.exists', 'fs.failed', 'config.invalid'].includes(c));
    for (const code of own) {
      for (const action of [undefined, ...ERROR_ACTIONS]) {
        const m = describeError(err(code, action ? { action } : {}));
        expect(`${m.text} ${m.hint ?? ''}`, `${code} ${action ?? ''}`).not.toMatch(CLI_WORDS);
        expect(m.text.length, code).toBeGreaterThan(5);
      }
    }
  });

  it('a full greeting folder says the numbers and what to do', () => {
    const m = describeError({ code: 'http.forbidden', message: '9 of 9 greetings: the greeting folder is full', retryable: false, action: 'deleteGreeting', detail: { occupied: 9, quota: 9 } });
    expect(m.text).toBe('9 of 9 greetings: delete one first.');
  });

  it('a refused voicemail PIN gives the rule once', () => {
    const m = describeError({ code: 'mstore.pinRejected', message: 'The voicemail PIN was not changed', hint: 'The PIN has repeated digits.', retryable: false, detail: { reason: 'PIN has Repeated Digits' } });
    expect(m).toEqual({ text: 'The voicemail PIN was not changed.', hint: 'The PIN has repeated digits.', go: null });
  });

  it('an internal error points to the log; a credentials refusal to Diagnostics; a bad server to Settings', () => {
    expect(describeError({ code: 'internal', message: 'Internal error (details are in the log)', retryable: false, action: 'openLog' })).toMatchObject({ hint: 'The details are in the log.', go: 'log' });
    expect(describeError(err('http.unauthorized'))).toMatchObject({ go: 'diagnostics' });
    expect(describeError(err('gba.bsfRefused', { action: 'checkBsf' }))).toMatchObject({ go: 'settings', hint: 'Check the BSF address in Settings.' });
    expect(describeError(err('card.serviceUnavailable')).hint).toMatch(/pcscd/);
  });
});
