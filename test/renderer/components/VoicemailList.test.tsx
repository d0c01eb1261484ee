import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BULK, VoicemailList } from '../../../renderer/components/VoicemailList.js';
import type { Voicemail } from '../../../shared/domain/mstore.js';

afterEach(cleanup);

const base: Voicemail = { id: 'a', from: '12065550143', date: '2026-01-10T12:00:00Z', expires: null, duration: 75, read: false, size: 1, filename: 'a.amr', keep: true, contentType: 'audio/amr' };

describe('VoicemailList', () => {
  it('shows caller, duration, read state and expiry, and selects on click', () => {
    const onSelect = vi.fn();
    render(<VoicemailList voicemails={[base, { ...base, id: 'b', from: '', read: true, keep: false, expires: '2000-01-01T00:00:00Z' }]} selectedId={null} onSelect={onSelect} checked={new Set()} onCheck={() => {}} />);
    const rows = screen.getAllByTestId('voicemail-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('+1 206-555-0143');
    expect(rows[0]?.textContent).toContain('1:15');
    expect(rows[0]?.textContent).toContain('Kept');
    expect(rows[0]?.getAttribute('data-read')).toBe('false');
    expect(screen.getByLabelText('unread')).toBeTruthy();
    expect(rows[1]?.textContent).toContain('Unknown caller');
    expect(rows[1]?.textContent).toContain('Expired');
    fireEvent.click(rows[1] as HTMLElement);
    expect(onSelect).toHaveBeenCalledWith('b');
  });

  it('says so when there is no voicemail', () => {
    render(<VoicemailList voicemails={[]} selectedId={null} onSelect={() => {}} checked={new Set()} onCheck={() => {}} />);
    expect(screen.getByTestId('voicemail-empty').textContent).toContain('No voicemail');
  });

  it('ticks a row for bulk actions without opening it, up to the relay limit', () => {
    const onSelect = vi.fn();
    const onCheck = vi.fn();
    const many = Array.from({ length: MAX_BULK + 1 }, (_, i) => ({ ...base, id: `v${i}` }));
    const full = new Set(many.slice(0, MAX_BULK).map((v) => v.id));
    render(<VoicemailList voicemails={many} selectedId={null} onSelect={onSelect} checked={full} onCheck={onCheck} />);
    const boxes = screen.getAllByTestId('voicemail-check').map((b) => b.querySelector('input') as HTMLInputElement);
    fireEvent.click(boxes[0] as HTMLInputElement);
    expect(onCheck).toHaveBeenCalledWith('v0', false);
    expect(onSelect).not.toHaveBeenCalled();
    expect(boxes[MAX_BULK]?.disabled).toBe(true);
  });
});
