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
    fake.answer('cardReaders', async () => ({ ok: true, value: [{ name: 'Virtual PCD 00 00', cardPresent: true }, { name: 'Virtual PCD 00 01', cardPresent: false }] }));
    render(<SettingsPanel />);
    const reader = await screen.findByLabelText('Card reader');
    // The picker offers the readers with their card presence.
    await waitFor(() => expect(screen.getByRole('option', { name: 'Virtual PCD 00 00 (card in it)' })).toBeTruthy());
    expect(screen.getByRole('option', { name: 'Virtual PCD 00 01 (empty)' })).toBeTruthy();
    fireEvent.change(reader, { target: { value: 'Virtual PCD 00 00' } });
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: ' +12065550100 ' } });
    fireEvent.change(screen.getByLabelText('IMEI sent to the BSF'), { target: { value: '' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByText(/Saved/)).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: Record<string, unknown> };
    expect(sent.settings.reader).toBe('Virtual PCD 00 00');
    expect(sent.settings.msisdn).toBe('+12065550100');
    expect('imei' in sent.settings).toBe(false);
  }, 15_000);

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
  }, 15_000);

  it('names the fields main refused', async () => {
    fake.answer('settingsSet', async () => ({ ok: false, error: { code: 'ipc.invalidRequest', message: 'Invalid request', retryable: false, detail: { fields: ['settings.server'] } } }));
    render(<SettingsPanel />);
    fireEvent.change(await screen.findByLabelText('Voicemail server'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText('Server address (mStoreRelay)'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByText('Save'));
    // Named by their labels, never by the settings keys.
    await waitFor(() => expect(screen.getByTestId('settings-invalid').textContent).toBe('Check these values: Voicemail server'));
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: Record<string, unknown> };
    expect(sent.settings.server).toBe('nope');
  }, 15_000);
});

describe('SettingsPanel choices', () => {
  it('offers production, staging and another server; staging sends the staging relay', async () => {
    fake.answer('settingsSet', async (req) => ({ ok: true, value: (req as { settings: unknown }).settings }));
    render(<SettingsPanel />);
    fireEvent.change(await screen.findByLabelText('Voicemail server'), { target: { value: 'staging' } });
    fireEvent.change(screen.getByLabelText('NAF name override'), { target: { value: ' wsg.t-mobile.com ' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByText(/Saved/)).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: Record<string, unknown> };
    expect(sent.settings).toMatchObject({ server: 'https://wsg2.stg.sip.t-mobile.com/phone20/mStoreRelay', nafFqdn: 'wsg.t-mobile.com' });
  }, 15_000);

  it('in demo mode says which settings the demo replaces', async () => {
    render(<SettingsPanel demo />);
    expect((await screen.findByTestId('settings-demo-note')).textContent).toMatch(/server, the BSF and the card reader/);
    expect(screen.getAllByText(/Demo mode uses its simulated carrier instead/).length).toBe(3);
  }, 15_000);

  it('adds a PEM CA certificate from a file after showing its subject, and refuses something else', async () => {
    fake.answer('settingsSet', async (req) => ({ ok: true, value: (req as { settings: unknown }).settings }));
    render(<SettingsPanel />);
    const input = await screen.findByTestId('ca-file');
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n';
    fireEvent.change(input, { target: { files: [new File(['not a cert'], 'x.pem')] } });
    await waitFor(() => expect(screen.getByText(/x.pem is not a PEM certificate/)).toBeTruthy());
    fake.answer('settingsDescribeCa', async () => ({ ok: true, value: { certificates: [{ subject: 'CN=Test Relay CA', issuer: 'CN=Test Relay CA', validFrom: 'Jan 1 2026', validTo: 'Jan 1 2036', fingerprint256: 'AB:CD', isCa: true }] } }));
    fireEvent.change(input, { target: { files: [new File([pem], 'ca.pem')] } });
    // Shown with its subject before it is trusted; declining adds nothing.
    await waitFor(() => expect(screen.getByTestId('ca-describe').textContent).toMatch(/Subject.*CN=Test Relay CA.*AB:CD/));
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('ca-describe')).toBeNull());
    expect(screen.queryByTestId('ca-list')).toBeNull();
    fireEvent.change(input, { target: { files: [new File([pem], 'ca.pem')] } });
    await screen.findByTestId('ca-describe');
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('ca-list').textContent).toContain('Certificate 1'));
    expect(fake.calls.find((c) => c.method === 'settingsDescribeCa')?.req).toEqual({ pem: pem.trim() });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(screen.getByText(/Saved/)).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'settingsSet')?.req as { settings: { caPem: string[] } };
    expect(sent.settings.caPem).toEqual([pem.trim()]);
  }, 15_000);
});
