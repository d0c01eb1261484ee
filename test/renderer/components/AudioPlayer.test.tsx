import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoicemailPlayer } from '../../../renderer/components/VoicemailPlayer.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  window.localStorage.clear();
});
afterEach(cleanup);

const calls = (m: string) => fake.calls.filter((c) => c.method === m).map((c) => c.req as Record<string, unknown>);

describe('AudioPlayer', () => {
  it('a hung download can be cancelled and loaded again', async () => {
    const pending: ((v: unknown) => void)[] = [];
    fake.answer('voicemailAudio', () => new Promise((r) => pending.push(r)));
    render(<VoicemailPlayer id="VV-Mail/Inbox/1" caller="+1 206-555-0143" onPlayed={() => {}} />);
    fireEvent.click(await screen.findByTestId('audio-cancel'));
    expect(calls('opCancel')).toEqual([{ opId: calls('voicemailAudio')[0]?.opId }]);
    // Main answers a cancelled operation with op.cancelled.
    await act(async () => pending[0]?.({ ok: false, error: { code: 'op.cancelled', message: 'Cancelled', retryable: true } }));
    fireEvent.click(await screen.findByTestId('audio-retry'));
    await waitFor(() => expect(calls('voicemailAudio')).toHaveLength(2));
    expect(screen.getByTestId('audio-cancel')).toBeTruthy();
  });

  it('offers the remembered speed, and labels every control', async () => {
    window.localStorage.setItem('vvm.player.speed', '1.5');
    fake.answer('voicemailAudio', () => new Promise(() => {}));
    render(<VoicemailPlayer id="VV-Mail/Inbox/1" caller="+1 206-555-0143" onPlayed={() => {}} />);
    expect((screen.getByTestId('speed') as HTMLInputElement).value).toBe('1.5');
    expect(screen.getByRole('slider', { name: 'Position in the voicemail from +1 206-555-0143' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Skip back 5 seconds' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Skip forward 5 seconds' })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Volume' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy();
  });

  it('ignores a remembered speed it does not offer', () => {
    window.localStorage.setItem('vvm.player.speed', '7');
    fake.answer('voicemailAudio', () => new Promise(() => {}));
    render(<VoicemailPlayer id="VV-Mail/Inbox/1" caller="x" onPlayed={() => {}} />);
    expect((screen.getByTestId('speed') as HTMLInputElement).value).toBe('1');
  });
});
