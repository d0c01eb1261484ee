import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountPanel } from '../../../renderer/components/AccountPanel.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
});
afterEach(cleanup);

describe('AccountPanel', () => {
  it('shows the SIM number formatted like the voicemail list', async () => {
    fake.answer('cardInfo', async () => ({ ok: true, value: { reader: 'Virtual PCD 00 00', app: 'ISIM', impi: '310260123456789@msg.pc.t-mobile.com', impu: [], msisdn: '+12065550100', gba: 'GBA_ME' } }));
    render(<AccountPanel enabled />);
    await waitFor(() => expect(screen.getByTestId('sim-details').textContent).toContain('Virtual PCD 00 00'));
    expect(screen.getByText('+1 206-555-0100')).toBeTruthy();
  });

  it('says so when the SIM has no phone number', async () => {
    fake.answer('cardInfo', async () => ({ ok: true, value: { reader: 'r', app: 'USIM', impi: 'x@y', impu: [], msisdn: null, gba: 'GBA_ME' } }));
    render(<AccountPanel enabled />);
    await waitFor(() => expect(screen.getByTestId('sim-details').textContent).toContain('not on the SIM'));
  });
});
