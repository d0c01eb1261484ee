import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PinDialog } from '../../../renderer/components/PinDialog.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
});
afterEach(cleanup);

const READY = { state: 'ready', reader: 'r', demo: false, pinStored: true, triesLeft: 3 } as const;

describe('PinDialog', () => {
  it('sends the PIN with the remember choice and reports the new status', async () => {
    fake.answer('cardUnlock', async () => ({ ok: true, value: READY }));
    const onUnlocked = vi.fn();
    render(<PinDialog open triesLeft={3} onClose={() => {}} onUnlocked={onUnlocked} />);
    expect(screen.getByText(/3 attempts left/)).toBeTruthy();
    const submit = screen.getByTestId('pin-submit') as HTMLButtonElement;
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '12a' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '2468' } });
    fireEvent.click(screen.getByLabelText('Remember in the system keychain'));
    fireEvent.click(submit);
    await waitFor(() => expect(onUnlocked).toHaveBeenCalledWith(READY));
    const call = fake.calls.find((c) => c.method === 'cardUnlock');
    expect(call?.req).toMatchObject({ pin: '2468', remember: true });
  });

  it('shows a wrong PIN in the window’s words (not the service message) and clears the field', async () => {
    fake.answer('cardUnlock', async () => ({ ok: false, error: { code: 'card.pinWrong', message: 'The SIM refused the PIN', hint: 'Check the PIN.', retryable: false, detail: { triesLeft: 2 } } }));
    const onUnlocked = vi.fn();
    render(<PinDialog open triesLeft={3} onClose={() => {}} onUnlocked={onUnlocked} />);
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '1111' } });
    // A real click moves the focus to the button.
    screen.getByTestId('pin-submit').focus();
    fireEvent.click(screen.getByTestId('pin-submit'));
    await waitFor(() => expect(screen.getByText('The SIM did not accept that PIN.')).toBeTruthy());
    expect(screen.getByText(/A PIN the SIM refuses is never tried again/)).toBeTruthy();
    // Inside the PIN dialog there is no "Enter PIN" button leading back to it.
    expect(screen.queryByTestId('error-go')).toBeNull();
    expect((screen.getByTestId('pin-input') as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(screen.getByTestId('pin-input'));
    expect(onUnlocked).not.toHaveBeenCalled();
  });
});
