import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoicemailsPanel } from '../../../renderer/components/VoicemailsPanel.js';
import type { Voicemail } from '../../../shared/domain/mstore.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  fake.answer('voicemailAudio', async () => ({ ok: false, error: { code: 'op.cancelled', message: 'Cancelled', retryable: true } }));
  window.localStorage.clear();
});
afterEach(cleanup);

const hour = 3_600_000;
function vm(i: number, over: Partial<Voicemail> = {}): Voicemail {
  return { id: `VV-Mail/Inbox/${i}`, from: `1206555${String(1000 + i).slice(-4)}`, date: new Date(Date.now() - i * hour).toISOString(), expires: null, duration: 10 + i, read: true, size: 1, filename: `${i}.amr`, keep: true, contentType: 'audio/amr', ...over };
}
function listing(vs: Voicemail[]) {
  fake.answer('voicemailList', async () => ({ ok: true, value: vs }));
}
const rows = () => screen.getAllByTestId('voicemail-row');
const row = (id: string) => rows().find((r) => r.getAttribute('data-id') === id) as HTMLElement;
const calls = (m: string) => fake.calls.filter((c) => c.method === m).map((c) => c.req as Record<string, unknown>);
const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k, ...init });

describe('VoicemailsPanel', { timeout: 20_000 }, () => {
  it('shows when the selected voicemail was left and that it is kept, above its player', async () => {
    const date = '2026-01-10T12:00:00Z';
    listing([{ ...vm(1), from: '12065550143', date }]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(screen.getByText('+1 206-555-0143'));
    const when = await screen.findByTestId('voicemail-when');
    expect(when.textContent).toBe(`${new Date(date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} · Kept`);
  });

  it('shows a skeleton while loading (never "0 voicemails"); a failed load offers Retry', async () => {
    let answer: (v: unknown) => void = () => {};
    fake.answer('voicemailList', () => new Promise((r) => (answer = r)));
    render(<VoicemailsPanel enabled />);
    expect(screen.getByTestId('voicemail-skeleton')).toBeTruthy();
    expect(screen.getByTestId('voicemail-count').textContent).not.toMatch(/\b0 voicemails/);
    await waitFor(() => expect(calls('voicemailList')).toHaveLength(1));
    await act(async () => answer({ ok: false, error: { code: 'net.offline', message: 'The server cannot be reached', retryable: true } }));
    expect(screen.getByTestId('voicemail-load-failed').querySelector('[data-code="net.offline"]')).toBeTruthy();
    listing([vm(1), vm(2)]);
    fireEvent.click(screen.getByTestId('voicemail-retry'));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.getByTestId('voicemail-count').textContent).toBe('2 voicemails');
  });

  it('a hung load can be cancelled', async () => {
    fake.answer('voicemailList', () => new Promise(() => {}));
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(calls('voicemailList')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('voicemail-load-cancel'));
    expect(calls('opCancel')).toEqual([{ opId: calls('voicemailList')[0]?.opId }]);
  });

  it('asks before deleting, naming the caller and that the carrier copy is gone; Cancel deletes nothing', async () => {
    listing([vm(1), vm(2), vm(3)]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.click(row('VV-Mail/Inbox/1'));
    fireEvent.click(screen.getByTestId('item-delete'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('Delete the voicemail from +1 206-555-1001?');
    expect(dialog.textContent).toContain("The carrier's copy is deleted for good.");
    expect(dialog.textContent).toContain('VVM Desk keeps no copy');
    fireEvent.click(within(dialog).getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(calls('voicemailDelete')).toEqual([]);
    expect(rows()).toHaveLength(3);
  });

  it('deleting the open voicemail leaves an unrelated multi-selection ticked', async () => {
    listing([vm(1), vm(2), vm(3)]);
    render(<VoicemailsPanel enabled libraryKeepsCopies />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.click(within(row('VV-Mail/Inbox/2')).getByTestId('voicemail-check'));
    fireEvent.click(within(row('VV-Mail/Inbox/3')).getByTestId('voicemail-check'));
    fireEvent.click(row('VV-Mail/Inbox/1'));
    fireEvent.click(screen.getByTestId('item-delete'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('Your local library keeps its copy.');
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(calls('voicemailDelete').map((r) => r.ids)).toEqual([['VV-Mail/Inbox/1']]);
    expect(screen.getByTestId('bulk-bar').textContent).toContain('2 selected');
    expect(screen.getByTestId('action-outcome').textContent).toContain('Deleted 1 voicemail.');
  });

  it('bulk export reports a partial failure where it was started, the folder, and Show in folder', async () => {
    listing([vm(1), vm(2), vm(3)]);
    fake.answer('voicemailExport', async () => ({ ok: true, value: { written: 1, cancelled: false, failed: [{ id: 'VV-Mail/Inbox/2', reason: 'No longer on the server' }, { id: 'VV-Mail/Inbox/3', reason: 'No longer on the server' }], folder: '/home/me/Voicemail' } }));
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    for (const r of rows()) fireEvent.click(within(r).getByTestId('voicemail-check'));
    // The format chooser is part of the bulk bar.
    expect(screen.getByTestId('bulk-bar').querySelector('[data-testid="bulk-format"]')).toBeTruthy();
    fireEvent.click(screen.getByTestId('bulk-export'));
    const outcome = await screen.findByTestId('action-outcome');
    expect(outcome.textContent).toContain('Exported 1 of 3: 2 failed (No longer on the server).');
    expect(outcome.getAttribute('data-severity')).toBe('warning');
    expect(screen.getByTestId('export-folder').textContent).toBe('To /home/me/Voicemail');
    // No voicemail is open: the outcome is in the list column, next to the bulk bar.
    expect(screen.queryByTestId('voicemail-detail')?.contains(outcome)).toBe(false);
    fireEvent.click(screen.getByTestId('show-in-folder'));
    expect(calls('exportShowFolder')).toEqual([{}]);
  });

  it('splits a bulk action over 100 into requests, one folder prompt; Cancel stops before the next request', async () => {
    const many = Array.from({ length: 250 }, (_, i) => vm(i + 1));
    listing(many);
    const exported: { ids: string[]; sameFolder?: boolean }[] = [];
    fake.answer('voicemailExport', async (req) => {
      const r = req as { ids: string[]; sameFolder?: boolean };
      exported.push(r);
      return { ok: true, value: { written: r.ids.length, cancelled: false, failed: [], folder: '/x' } };
    });
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    fireEvent.keyDown(document.body, { key: 'a', ctrlKey: true });
    expect(screen.getByTestId('bulk-bar').textContent).toContain('250 selected');
    fireEvent.click(screen.getByTestId('bulk-export'));
    await waitFor(() => expect(screen.getByTestId('action-outcome').textContent).toContain('Exported 250 voicemails.'));
    expect(exported.map((e) => [e.ids.length, e.sameFolder ?? false])).toEqual([[100, false], [100, true], [50, true]]);

    let release: () => void = () => {};
    fake.answer('voicemailDelete', (req) => new Promise((r) => (release = () => r({ ok: true, value: undefined }))).then((v) => (void req, v)));
    fireEvent.click(screen.getByTestId('bulk-delete'));
    fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('action-progress').textContent).toContain('Deleting 0 of 250'));
    fireEvent.click(screen.getByTestId('action-cancel'));
    await act(async () => release());
    await waitFor(() => expect(screen.getByTestId('action-outcome').textContent).toBe('Cancelled: deleted 100 of 250, 150 not attempted.'));
    expect(calls('voicemailDelete')).toHaveLength(1);
    expect(calls('opCancel').length).toBeGreaterThan(0);
  });

  it('keyboard: Down moves, Enter opens, x ticks, Ctrl+A ticks all, Esc unticks, Delete asks, Ctrl+F searches, ? helps', async () => {
    listing([vm(1), vm(2), vm(3)]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    key('ArrowDown');
    key('ArrowDown');
    await waitFor(() => expect(row('VV-Mail/Inbox/2').tabIndex).toBe(0));
    key('Enter');
    await waitFor(() => expect(row('VV-Mail/Inbox/2').getAttribute('aria-current')).toBe('true'));
    key('x');
    expect(row('VV-Mail/Inbox/2').getAttribute('aria-selected')).toBe('true');
    key('Escape');
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
    key('a', { ctrlKey: true });
    expect(screen.getByTestId('bulk-bar').textContent).toContain('3 selected');
    key('Delete');
    expect((await screen.findByTestId('confirm-dialog')).textContent).toContain('Delete 3 voicemails?');
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    key('f', { ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('voicemail-search'));
    // Typing in the search box is text, not shortcuts; Ctrl+A there selects the text.
    fireEvent.keyDown(screen.getByTestId('voicemail-search'), { key: 'x' });
    fireEvent.keyDown(document.body, { key: '?' });
    expect(await screen.findByTestId('shortcuts-help')).toBeTruthy();
  });

  it('shift-click ticks a range in the order shown', async () => {
    listing([vm(1), vm(2), vm(3), vm(4)]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    fireEvent.click(row('VV-Mail/Inbox/1'), { ctrlKey: true });
    fireEvent.click(row('VV-Mail/Inbox/3'), { shiftKey: true });
    expect(rows().map((r) => r.getAttribute('aria-selected'))).toEqual(['true', 'true', 'true', 'false']);
  });

  it('search and filter narrow the list and say how many of how many', async () => {
    listing([vm(1, { read: false }), vm(2), vm(3, { from: '14255550178' })]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.change(screen.getByTestId('voicemail-search'), { target: { value: '425 555' } });
    expect(rows().map((r) => r.getAttribute('data-id'))).toEqual(['VV-Mail/Inbox/3']);
    expect(screen.getByTestId('voicemail-count').textContent).toContain('1 of 3 voicemails');
    fireEvent.change(screen.getByTestId('voicemail-search'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('voicemail-filter'), { target: { value: 'unread' } });
    expect(rows().map((r) => r.getAttribute('data-id'))).toEqual(['VV-Mail/Inbox/1']);
    fireEvent.change(screen.getByTestId('voicemail-search'), { target: { value: 'nobody' } });
    expect(screen.getByTestId('voicemail-empty').textContent).toBe('No voicemail matches.');
  });
});

describe('VoicemailsPanel over the local library', { timeout: 20_000 }, () => {
  const lib = (i: number, over: Record<string, unknown> = {}) => ({
    ...vm(i),
    readPending: false,
    stored: true,
    goneFromServerAt: null,
    firstSeen: Date.now() - 10 * hour,
    notes: '',
    labels: [],
    ...over,
  });
  function library(voicemails: ReturnType<typeof lib>[], live = true) {
    fake.answer('libraryList', async () => ({ ok: true, value: { msisdn: '+12065550100', live, voicemails, stats: null } }));
  }
  const syncIdle = { state: 'idle' as const, lastSyncAt: Date.now() - 60_000, lastError: null, nextAt: null, progress: null };

  it('shows archived-only voicemail marked, notes, the sync state, and checks now instead of re-listing', async () => {
    library([lib(1, { notes: 'call the dentist' }), lib(2, { goneFromServerAt: Date.now() - hour })]);
    fake.answer('syncStatus', async () => ({ ok: true, value: syncIdle }));
    fake.answer('syncNow', async () => ({ ok: true, value: { newVoicemails: 0, downloaded: 0, goneFromServer: 0, failed: 0, complete: true } }));
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(row('VV-Mail/Inbox/2').getAttribute('data-archived')).toBe('true');
    expect(row('VV-Mail/Inbox/1').textContent).toContain('call the dentist');
    expect(screen.getByTestId('sync-state').textContent).toMatch(/^Checked Today /);
    // The library lists; the server list is not asked for.
    expect(calls('voicemailList')).toEqual([]);
    fireEvent.click(screen.getByTestId('voicemail-refresh'));
    expect(screen.getByTestId('voicemail-refresh').textContent).toBe('Check now');
    await waitFor(() => expect(calls('syncNow')).toHaveLength(1));
    act(() => fake.emitSyncStatus({ ...syncIdle, state: 'syncing', progress: { phase: 'download', done: 2, total: 5 } }));
    expect(screen.getByTestId('sync-state').textContent).toBe('Checking for voicemail… 2 of 5');
    act(() => fake.emitSyncStatus({ ...syncIdle, lastError: { code: 'net.offline', message: 'offline', retryable: true } }));
    expect(screen.getByTestId('sync-state').textContent).toMatch(/^Last check failed: /);
    // Filter: archived only.
    fireEvent.change(screen.getByTestId('voicemail-filter'), { target: { value: 'archived' } });
    expect(rows().map((r) => r.getAttribute('data-id'))).toEqual(['VV-Mail/Inbox/2']);
  });

  it('offline: says the list is what this computer keeps', async () => {
    library([lib(1)], false);
    render(<VoicemailsPanel enabled={false} />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByTestId('sync-state').textContent).toContain('Offline');
  });

  it('delete says the library keeps the copy, and the voicemail stays, archived only; read state goes to the library', async () => {
    library([lib(1), lib(2, { stored: false, read: false })]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(row('VV-Mail/Inbox/1'));
    fireEvent.click(screen.getByTestId('item-delete'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.textContent).toContain("The carrier's copy is deleted for good.");
    expect(dialog.textContent).toContain('Your local library keeps its copy.');
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await waitFor(() => expect(row('VV-Mail/Inbox/1').getAttribute('data-archived')).toBe('true'));
    expect(calls('voicemailDelete').map((r) => r.ids)).toEqual([['VV-Mail/Inbox/1']]);
    expect(calls('syncNow').length).toBeGreaterThan(0);
    // One without a local copy: the question says it is gone for good.
    fireEvent.click(row('VV-Mail/Inbox/2'));
    fireEvent.click(screen.getByTestId('item-delete'));
    expect((await screen.findByTestId('confirm-dialog')).textContent).toContain('VVM Desk keeps no copy');
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    fireEvent.click(screen.getByText('Mark as read'));
    await waitFor(() => expect(calls('libraryMarkRead')).toEqual([{ ids: ['VV-Mail/Inbox/2'], read: true }]));
    expect(calls('voicemailMarkRead')).toEqual([]);
  });

  it('saves a note on the open voicemail to the library', async () => {
    library([lib(1, { notes: 'old' })]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(row('VV-Mail/Inbox/1'));
    const note = (await screen.findByTestId('voicemail-note')) as HTMLTextAreaElement;
    expect(note.value).toBe('old');
    fireEvent.change(note, { target: { value: 'call back Monday' } });
    fireEvent.click(screen.getByTestId('voicemail-note-save'));
    await waitFor(() => expect(calls('librarySetNote')).toEqual([{ id: 'VV-Mail/Inbox/1', notes: 'call back Monday' }]));
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('a notification click opens its voicemail', async () => {
    library([lib(1), lib(2)]);
    render(<VoicemailsPanel enabled />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    act(() => fake.emitNotifyOpen('VV-Mail/Inbox/2'));
    await waitFor(() => expect(row('VV-Mail/Inbox/2').getAttribute('aria-current')).toBe('true'));
  });
});
