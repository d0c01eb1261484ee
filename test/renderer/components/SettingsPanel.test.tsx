import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsPanel } from '../../../renderer/components/SettingsPanel.js';
import { defaultSettings } from '../../../shared/settings.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  fake.answer('settingsGet', async () => ({ ok: true, value: defaultSettings() }));
});
afterEach(cleanup);

describe('SettingsPanel', () => {
  it('sends the edited settings, dropping empty optional fields', async () => {
    fake.answer('settingsSet', async (req) => ({ ok: true, value: (req as { settings: unknown }).settings }));
    render(<SettingsPanel />);
    const reader = await screen.findByLabelText('Card reader');
    fireEvent.change(reader, { target: { value: ' Virtual PCD ' } });
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByText(/Saved/)).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: Record<string, unknown> };
    expect(sent.settings.reader).toBe('Virtual PCD');
    expect('msisdn' in sent.settings).toBe(false);
  });

  it('the GBA settings nobody could confirm are editable: BSF address, IMEI header, key reuse', async () => {
    fake.answer('settingsSet', async (req) => ({ ok: true, value: (req as { settings: unknown }).settings }));
    render(<SettingsPanel />);
    fireEvent.change(await screen.findByLabelText('BSF'), { target: { value: 'derive' } });
    fireEvent.change(screen.getByLabelText('IMEI sent to the BSF'), { target: { value: '359000000000000' } });
    fireEvent.click(screen.getByLabelText('Reuse a GBA bootstrap while it is valid'));
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByText(/Saved/)).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: Record<string, unknown> };
    expect(sent.settings).toMatchObject({ bsf: 'derive', imei: '359000000000000', reuseBootstrap: true });
  });

  it('names the fields main refused', async () => {
    fake.answer('settingsSet', async () => ({ ok: false, error: { code: 'ipc.invalidRequest', message: 'Invalid request', retryable: false, detail: { fields: ['settings.server'] } } }));
    render(<SettingsPanel />);
    fireEvent.change(await screen.findByLabelText('Voicemail server (mStoreRelay)'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByTestId('settings-invalid').textContent).toContain('Check these values: server'));
  });
});
