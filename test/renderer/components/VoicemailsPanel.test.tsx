import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoicemailsPanel } from '../../../renderer/components/VoicemailsPanel.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  fake.answer('voicemailAudio', async () => ({ ok: false, error: { code: 'op.cancelled', message: 'Cancelled', retryable: true } }));
});
afterEach(cleanup);

describe('VoicemailsPanel', () => {
  it('shows when the selected voicemail was left and that it is kept, above its player', async () => {
    const date = '2026-01-10T12:00:00Z';
    fake.answer('voicemailList', async () => ({ ok: true, value: [{ id: 'a', from: '12065550143', date, expires: null, duration: 75, read: true, size: 1, filename: 'a.amr', keep: true, contentType: 'audio/amr' }] }));
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(screen.getAllByTestId('voicemail-row')).toHaveLength(1));
    fireEvent.click(screen.getByText('+1 206-555-0143'));
    const when = await screen.findByTestId('voicemail-when');
    expect(when.textContent).toBe(`${new Date(date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} · Kept`);
  });
});
