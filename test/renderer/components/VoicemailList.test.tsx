import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROW_HEIGHT, VoicemailList, type VoicemailListProps } from '../../../renderer/components/VoicemailList.js';
import type { VoicemailItem } from '../../../renderer/voicemail-view.js';

afterEach(cleanup);

const now = Date.UTC(2026, 0, 10, 12);
const day = 86_400_000;
const base: VoicemailItem = { id: 'a', from: '12065550143', date: new Date(now - 3_600_000).toISOString(), expires: null, duration: 75, read: false, size: 1, filename: 'a.amr', keep: true, contentType: 'audio/amr' };

function props(over: Partial<VoicemailListProps>): VoicemailListProps {
  return { items: [base], openId: null, activeId: null, checked: new Set(), onRowClick: vi.fn(), onCheck: vi.fn(), onActiveChange: vi.fn(), now, ...over };
}

describe('VoicemailList', () => {
  it('shows caller, duration, read state and expiry; says read/unread to screen readers; opens on click', () => {
    const onRowClick = vi.fn();
    const items: VoicemailItem[] = [
      base,
      { ...base, id: 'b', from: '', read: true, keep: false, expires: new Date(now - day).toISOString() },
      { ...base, id: 'c', keep: false, expires: new Date(now + 2 * day).toISOString() },
      { ...base, id: 'd', archivedOnly: true, notes: 'call back' },
    ];
    render(<VoicemailList {...props({ items, onRowClick })} />);
    const rows = screen.getAllByTestId('voicemail-row');
    expect(rows).toHaveLength(4);
    expect(rows[0]?.textContent).toContain('+1 206-555-0143');
    expect(rows[0]?.textContent).toContain('1:15');
    expect(rows[0]?.textContent).toContain('Kept');
    expect(rows[0]?.getAttribute('aria-label')).toMatch(/^Unread, voicemail from \+1 206-555-0143, Today /);
    expect(rows[1]?.getAttribute('aria-label')).toMatch(/^Read, voicemail from Unknown caller/);
    expect(rows[1]?.textContent).toContain('Expired');
    expect(rows[1]?.getAttribute('data-expiry')).toBe('expired');
    expect(rows[2]?.getAttribute('data-expiry')).toBe('soon');
    expect(rows[2]?.textContent).toContain('2 days left');
    expect(rows[3]?.getAttribute('data-archived')).toBe('true');
    expect(rows[3]?.textContent).toContain('Archived');
    expect(rows[3]?.getAttribute('aria-label')).toContain('archived only');
    expect(rows[3]?.getAttribute('aria-label')).toContain('note: call back');
    fireEvent.click(rows[1] as HTMLElement);
    expect(onRowClick).toHaveBeenCalledWith('b', { shift: false, toggle: false });
    fireEvent.click(rows[2] as HTMLElement, { shiftKey: true });
    expect(onRowClick).toHaveBeenLastCalledWith('c', { shift: true, toggle: false });
    fireEvent.click(rows[2] as HTMLElement, { ctrlKey: true });
    expect(onRowClick).toHaveBeenLastCalledWith('c', { shift: false, toggle: true });
  });

  it('is one tab stop: only the active row is tabbable, ticked rows are aria-selected', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ ...base, id }));
    render(<VoicemailList {...props({ items, activeId: 'b', checked: new Set(['c']), openId: 'a' })} />);
    const rows = screen.getAllByRole('option');
    expect(rows.map((r) => r.tabIndex)).toEqual([-1, 0, -1]);
    expect(rows.map((r) => r.getAttribute('aria-selected'))).toEqual(['false', 'false', 'true']);
    expect(rows[0]?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('listbox').getAttribute('aria-multiselectable')).toBe('true');
    // The checkbox is a mouse target, not a second tab stop.
    expect(screen.getAllByTestId('voicemail-check').every((c) => (c as HTMLInputElement).tabIndex === -1)).toBe(true);
  });

  it('ticks a row without opening it, Shift for a range', () => {
    const onRowClick = vi.fn();
    const onCheck = vi.fn();
    render(<VoicemailList {...props({ items: [base, { ...base, id: 'b' }], onRowClick, onCheck, checked: new Set(['a']) })} />);
    const boxes = screen.getAllByTestId('voicemail-check');
    fireEvent.click(boxes[0] as HTMLElement);
    expect(onCheck).toHaveBeenCalledWith('a', false, { shift: false, toggle: false });
    fireEvent.click(boxes[1] as HTMLElement, { shiftKey: true });
    expect(onCheck).toHaveBeenLastCalledWith('b', true, { shift: true, toggle: false });
    expect(onRowClick).not.toHaveBeenCalled();
  });

  it('renders a window of 5,000 voicemails, not all of them, and keeps the active row in the DOM', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ ...base, id: `v${i}` }));
    render(<VoicemailList {...props({ items, activeId: 'v4000' })} />);
    const rows = screen.getAllByTestId('voicemail-row');
    expect(rows.length).toBeLessThan(60);
    expect(rows.some((r) => r.getAttribute('data-id') === 'v4000')).toBe(true);
    expect(getComputedStyle(screen.getByRole('listbox')).height).toBe(`${5000 * ROW_HEIGHT}px`);
    expect(rows.find((r) => r.getAttribute('data-id') === 'v4000')?.getAttribute('aria-posinset')).toBe('4001');
  });

  it('shows a skeleton while loading, never "0 voicemails", and the empty text after', () => {
    const { rerender } = render(<VoicemailList {...props({ items: [], loading: true })} />);
    expect(screen.getByTestId('voicemail-skeleton').getAttribute('aria-busy')).toBe('true');
    expect(screen.queryByTestId('voicemail-empty')).toBeNull();
    rerender(<VoicemailList {...props({ items: [], loading: false, emptyText: 'No voicemail matches.' })} />);
    expect(screen.getByTestId('voicemail-empty').textContent).toBe('No voicemail matches.');
  });
});
