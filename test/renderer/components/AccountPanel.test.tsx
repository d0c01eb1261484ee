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

describe('AccountPanel without a card', () => {
  it('says "unknown", not "Off", and reads nothing', async () => {
    render(<AccountPanel enabled={false} />);
    expect(screen.getByTestId('vvm-state').textContent).toBe('Unknown: no SIM ready');
    expect(screen.queryByText('Off')).toBeNull();
    expect(fake.calls.filter((c) => c.method === 'profileGet' || c.method === 'cardInfo')).toEqual([]);
  });

  it('lists every IMPU, the ICCID and the PIN tries left', async () => {
    fake.answer('cardInfo', async () => ({ ok: true, value: { reader: 'r', app: 'ISIM', impi: 'i@x', impu: ['sip:+12065550100@x', 'tel:+12065550100'], msisdn: '+12065550100', gba: 'GBA_U', iccid: '8901260123456789012', pin: { enabled: true, verified: false, triesLeft: 2 } } }));
    render(<AccountPanel enabled />);
    await waitFor(() => expect(screen.getByTestId('sim-impus').querySelectorAll('li')).toHaveLength(2));
    expect(screen.getByTestId('sim-details').textContent).toContain('8901260123456789012');
    expect(screen.getByTestId('sim-pin').textContent).toBe('on, 2 attempts left');
  });
});
