import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/components/App.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  fake.answer('voicemailList', async () => ({ ok: true, value: [] }));
});
afterEach(cleanup);

const status = (state: string) => ({ ok: true, value: { state, reader: 'r', demo: false, pinStored: false, triesLeft: 3 } });

describe('App', () => {
  it('advises while there is no card, looks again, and loads voicemail once the card is ready', async () => {
    let calls = 0;
    fake.answer('cardStatus', async () => (++calls < 2 ? status('absent') : status('ready')));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('card-advice').textContent).toContain('Insert the SIM'));
    expect(fake.calls.some((c) => c.method === 'voicemailList')).toBe(false);
    await waitFor(() => expect(screen.queryByTestId('card-advice')).toBeNull(), { timeout: 6000 });
    expect(calls).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'voicemailList')).toBe(true));
    expect(screen.getByTestId('card-status').getAttribute('data-state')).toBe('ready');
  }, 10_000);

  it('leaving demo mode (a SIM inserted later) reloads the mailbox from the real card', async () => {
    const vm = { from: '12065550143', date: '2026-01-10T12:00:00Z', expires: null, duration: 75, read: false, size: 1, filename: 'a.amr', keep: true, contentType: 'audio/amr' };
    let demo = true;
    fake.answer('cardStatus', async () => ({ ok: true, value: { state: 'ready', reader: 'r', demo, pinStored: false, triesLeft: null } }));
    fake.answer('voicemailList', async () => ({ ok: true, value: [{ ...vm, id: demo ? 'demo-1' : 'real-1', from: demo ? '12065550100' : '14255550199' }] }));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('demo-banner')).toBeTruthy());
    await waitFor(() => expect(screen.getByText(/555-0100/)).toBeTruthy());
    demo = false;
    // main pushes the new status; here straight from ready (demo) to ready (card), the hardest case.
    act(() => fake.emitCardStatus({ state: 'ready', reader: 'r', demo: false, pinStored: false, triesLeft: null }));
    await waitFor(() => expect(screen.getByText(/555-0199/)).toBeTruthy());
    expect(screen.queryByText(/555-0100/)).toBeNull();
    expect(screen.getByTestId('card-status').textContent).not.toMatch(/Demo/);
  });

  it('opens the PIN dialog for a locked card', async () => {
    fake.answer('cardStatus', async () => status('locked'));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('pin-input')).toBeTruthy());
    expect(screen.getByText(/3 attempts left/)).toBeTruthy();
    // Behind the dialog the mailbox is unknown, not empty.
    expect(screen.getByTestId('voicemail-count').textContent).toBe('Voicemail');
  });
});

describe('App shell', () => {
  it('keeps a tab’s panel mounted (hidden) when another tab shows, and lists only once', async () => {
    fake.answer('cardStatus', async () => status('ready'));
    render(<App />);
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'voicemailList').length).toBe(1));
    act(() => screen.getByTestId('tab-account').click());
    await waitFor(() => expect(screen.getByTestId('panel-account').hidden).toBe(false));
    expect(screen.getByTestId('panel-voicemail').hidden).toBe(true);
    act(() => screen.getByTestId('tab-voicemail').click());
    expect(screen.getByTestId('panel-voicemail').hidden).toBe(false);
    expect(fake.calls.filter((c) => c.method === 'voicemailList').length).toBe(1);
  }, 15_000);

  it('"Forget PIN" is labelled and asks first', async () => {
    fake.answer('cardStatus', async () => ({ ok: true, value: { state: 'ready', reader: 'r', demo: false, pinStored: true, triesLeft: null } }));
    render(<App />);
    const forget = await screen.findByTestId('forget-pin');
    act(() => forget.click());
    expect(screen.getByText('Forget the SIM PIN?')).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'pinForget')).toBe(false);
    act(() => screen.getByTestId('forget-pin-confirm').click());
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'pinForget')).toBe(true));
  }, 15_000);

  it('demo mode shows the banner; the first run explains what is needed until dismissed', async () => {
    window.localStorage.clear();
    fake.answer('cardStatus', async () => ({ ok: true, value: { state: 'ready', reader: 'demo', demo: true, pinStored: false, triesLeft: null } }));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('demo-banner').textContent).toMatch(/fictional.*Insert your SIM/));
    expect(screen.getByTestId('welcome').textContent).toMatch(/PC\/SC smart-card reader.*SIM.*pcscd/);
    act(() => screen.getByText('Got it').click());
    expect(screen.queryByTestId('welcome')).toBeNull();
    cleanup();
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('demo-banner')).toBeTruthy());
    expect(screen.queryByTestId('welcome')).toBeNull();
  }, 15_000);

  it('an error’s "Open Diagnostics" button switches to the Diagnostics tab', async () => {
    fake.answer('cardStatus', async () => status('ready'));
    fake.answer('voicemailList', async () => ({ ok: false, error: { code: 'http.unauthorized', message: 'The voicemail server refused our credentials', retryable: false, action: 'runDiagnostics' } }));
    render(<App />);
    const go = await screen.findByTestId('error-go');
    expect(go.textContent).toBe('Open Diagnostics');
    act(() => go.click());
    await waitFor(() => expect(screen.getByTestId('panel-diagnostics').hidden).toBe(false));
  }, 15_000);
});

describe('App: the log', () => {
  it('"Open the log" on an internal error reveals the log file, or shows Diagnostics where it cannot', async () => {
    fake.answer('cardStatus', async () => status('ready'));
    fake.answer('voicemailList', async () => ({ ok: false, error: { code: 'internal', message: 'Internal error (details are in the log)', retryable: false, action: 'openLog' } }));
    fake.answer('logReveal', async () => ({ ok: true, value: { shown: false } }));
    render(<App />);
    const go = await screen.findByTestId('error-go');
    expect(go.textContent).toBe('Open the log');
    act(() => go.click());
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'logReveal')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('panel-diagnostics').hidden).toBe(false));
  }, 15_000);
});
