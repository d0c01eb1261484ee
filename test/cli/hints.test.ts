// The CLI words an error's action with its own options (the services' messages stay free of them).
import { describe, expect, it } from 'vitest';
import { ERROR_ACTIONS } from '../../shared/errors.js';
import { cliHintFor } from '../../main/cli/hints.js';
import { formatAppError } from '../../main/cli/framework.js';

describe('CLI hints', () => {
  it('every action has a hint, and the ones about settings name the option', () => {
    for (const action of ERROR_ACTIONS) expect(cliHintFor({ code: 'internal', message: 'x', retryable: false, action })?.length, action).toBeGreaterThan(10);
    expect(cliHintFor({ code: 'gba.bsfRefused', message: 'x', retryable: false, action: 'checkBsf' })).toContain('--bsf');
    expect(cliHintFor({ code: 'card.pinRequired', message: 'x', retryable: false, action: 'enterSimPin' })).toContain('VVM_SIM_PIN');
    expect(cliHintFor({ code: 'http.unauthorized', message: 'x', retryable: false, action: 'runDiagnostics' })).toContain('vvm-desk doctor');
  });

  it('without an action the error’s own hint is printed', () => {
    expect(cliHintFor({ code: 'card.apdu', message: 'x', retryable: false, hint: 'Reinsert the card.' })).toBe('Reinsert the card.');
    expect(formatAppError({ code: 'http.forbidden', message: '9 of 9 greetings: the greeting folder is full', retryable: false, action: 'deleteGreeting', detail: { occupied: 9, quota: 9 } })).toBe(
      'error: 9 of 9 greetings: the greeting folder is full [http.forbidden]\nhint: Delete a greeting first (`vvm-desk greeting list`, then `greeting delete ID`).\n  occupied: 9\n  quota: 9\n',
    );
  });
});
