import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GreetingsPanel } from '../../../renderer/components/GreetingsPanel.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

vi.mock('wavesurfer.js', () => ({ default: { create: () => ({ on: () => {}, destroy: () => {}, playPause: () => {}, setTime: () => {}, setPlaybackRate: () => {}, setVolume: () => {} }) } }));

const greeting = (id: string, active: boolean, subject: string) => ({ id, date: '2026-01-10T12:00:00Z', duration: 7, active, type: 'normal-greeting', subject, size: 100, contentType: 'audio/amr', filename: `${id}.amr` });

let fake: FakeApi;
let list: ReturnType<typeof greeting>[];
beforeEach(() => {
  fake = installFakeApi();
  list = [greeting('g1', true, 'Office hours'), greeting('g2', false, '')];
  fake.answer('greetingList', async () => ({ ok: true, value: list }));
  fake.answer('greetingDelete', async (req) => {
    list = list.filter((g) => g.id !== (req as { id: string }).id);
    return { ok: true, value: undefined };
  });
});
afterEach(cleanup);

describe('GreetingsPanel', () => {
  it('shows each greeting’s subject; deleting asks first and the active one says callers hear the standard greeting', async () => {
    render(<GreetingsPanel enabled />);
    await waitFor(() => expect(screen.getAllByTestId('greeting-row')).toHaveLength(2));
    expect(screen.getAllByTestId('greeting-row')[0]?.textContent).toContain('Office hours');
    fireEvent.click(screen.getAllByTestId('greeting-delete')[0] as HTMLElement);
    expect(await screen.findByText('Delete the active greeting?')).toBeTruthy();
    expect(screen.getByTestId('confirm-dialog').textContent).toMatch(/“Office hours”.*for good.*standard greeting/);
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(fake.calls.some((c) => c.method === 'greetingDelete')).toBe(false);

    fireEvent.click(screen.getAllByTestId('greeting-delete')[0] as HTMLElement);
    fireEvent.click(await screen.findByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('greeting-notice').textContent).toBe('Greeting deleted. Callers now hear the standard greeting.'));
    expect(fake.calls.find((c) => c.method === 'greetingDelete')?.req).toMatchObject({ id: 'g1' });
    await waitFor(() => expect(screen.getAllByTestId('greeting-row')).toHaveLength(1));
  }, 15_000);
});
