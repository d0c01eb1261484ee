// The voicemail list: caller, relative date, duration, read state, expiry, archive and notes. Presentational:
// selection and shortcuts belong to VoicemailsPanel.
//
// Windowed by hand (fixed row height, only the visible rows plus a few either side are in the DOM): 5,000
// voicemails render as ~20 rows. A library (@tanstack/react-virtual) would add a dependency for the ~40
// lines below; rows here have one fixed height, the case where hand-written windowing is simplest.
// Keyboard: the list is ONE tab stop (roving tabindex on the active row, as the WAI-ARIA listbox pattern
// has it); the panel moves the active row with Up/Down.
import { forwardRef, memo, useCallback, useImperativeHandle, useLayoutEffect, useRef, useState, type MouseEvent, type RefObject } from 'react';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import GlobalStyles from '@mui/material/GlobalStyles';
import Typography from '@mui/material/Typography';
import { expiryState, formatDuration, formatExpiry, formatPhone, formatRelativeDate } from '../format.js';
import type { VoicemailItem } from '../voicemail-view.js';

/** Height of one row in CSS pixels (fixed: the windowing depends on it). */
export const ROW_HEIGHT = 56;
/** Rows rendered above and below the visible ones, so fast scrolling shows no gap. */
const OVERSCAN = 4;
/** Rows rendered before the list has been measured (jsdom, the first frame). */
const UNMEASURED_ROWS = 24;

/** How a row was clicked: plain opens it, Shift extends the selection, Ctrl/Cmd toggles it. */
export interface RowClick {
  shift: boolean;
  toggle: boolean;
}

/** Props of {@link VoicemailList}. */
export interface VoicemailListProps {
  items: readonly VoicemailItem[];
  /** The voicemail open in the player. */
  openId: string | null;
  /** The row with keyboard focus (the list's one tab stop). */
  activeId: string | null;
  /** Ticked for a bulk action. */
  checked: ReadonlySet<string>;
  /** True while the first listing is loading: a skeleton, never "0 voicemails". */
  loading?: boolean;
  /** Shown when `items` is empty and nothing is loading. */
  emptyText?: string;
  onRowClick(id: string, how: RowClick): void;
  onCheck(id: string, on: boolean, how: RowClick): void;
  onActiveChange(id: string): void;
  /** The clock for relative dates and expiry (tests fix it). */
  now?: number;
  /**
   * The element that scrolls the list (the panel's column, so the header above can stick); without it
   * the list scrolls itself.
   */
  scrollParent?: RefObject<HTMLElement | null>;
}

/** What the panel can ask of the list. */
export interface VoicemailListHandle {
  /** Scrolls the active row into view and focuses it. */
  focusActive(): void;
}

function clickHow(e: MouseEvent): RowClick {
  return { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
}

/** The words a screen reader says for a row (the visible text is split over several elements). */
export function rowLabel(v: VoicemailItem, now: number): string {
  const parts = [v.read ? 'Read' : 'Unread', `voicemail from ${v.name ? `${v.name}, ` : ''}${formatPhone(v.from)}`, formatRelativeDate(v.date, now), formatDuration(v.duration)];
  if (v.archivedOnly) parts.push('archived only: no longer on the server');
  else parts.push(formatExpiry(v.expires, v.keep, now));
  if (v.notes) parts.push(`note: ${v.notes}`);
  return parts.filter((p) => p !== '').join(', ');
}

// Rows are plain elements with class names; their CSS is made once per theme (ListStyles below), not
// per row and render: with 5,000 voicemails every keystroke in the search box redraws the visible rows,
// and per-render style objects (sx, styled) cost most of that. Row state reaches the CSS as attributes
// (aria-selected, aria-current, data-*).
const ListStyles = memo(function ListStyles() {
  return (
    <GlobalStyles
      styles={(theme) => {
        // With CSS variables (light and dark schemes) the colours must be the variables, so a scheme
        // switch recolours the rows without a render; plain themes (tests) have no `vars`.
        const palette = (theme.vars ?? theme).palette;
        return {
          '.vvm-row': {
            position: 'absolute',
            left: 0,
            right: 0,
            height: ROW_HEIGHT,
            display: 'flex',
            alignItems: 'center',
            gap: theme.spacing(1),
            paddingLeft: theme.spacing(1),
            paddingRight: theme.spacing(1.5),
            cursor: 'pointer',
            borderBottom: `1px solid ${palette.divider}`,
            outline: 'none',
            color: palette.text.primary,
          },
          '.vvm-row[aria-selected="true"], .vvm-row:hover': { backgroundColor: palette.action.hover },
          '.vvm-row[aria-current="true"]': { backgroundColor: palette.action.selected },
          // A visible focus ring in both themes (inside the row, so nothing clips it).
          '.vvm-row:focus-visible': { outline: `2px solid ${palette.primary.main}`, outlineOffset: -2 },
          '.vvm-dot': { width: 10, height: 10, flex: 'none', borderRadius: '50%' },
          '.vvm-row[data-read="false"] .vvm-dot': { backgroundColor: palette.primary.main },
          // A native checkbox in the theme's colour: a mouse target only (the row's aria-selected says it).
          '.vvm-tick': { width: 16, height: 16, margin: 0, flex: 'none', cursor: 'pointer', accentColor: palette.primary.main },
          '.vvm-texts': { minWidth: 0, flex: 1 },
          '.vvm-line, .vvm-sub': { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
          '.vvm-line': { ...theme.typography.body1 },
          '.vvm-row[data-read="false"] .vvm-line': { fontWeight: 700 },
          '.vvm-sub': { ...theme.typography.body2, color: palette.text.secondary },
          '.vvm-expiry': { ...theme.typography.caption, flex: 'none', color: palette.text.secondary },
          '.vvm-expiry[data-expiry="soon"]': { color: palette.warning.dark, fontWeight: 700 },
          '.vvm-expiry[data-expiry="expired"]': { color: palette.error.main, fontWeight: 700 },
          '.vvm-archived': { ...theme.typography.caption, flex: 'none', border: `1px solid ${palette.divider}`, borderRadius: 12, padding: '1px 8px', color: palette.text.secondary },
        };
      }}
    />
  );
});

interface RowProps {
  v: VoicemailItem;
  index: number;
  count: number;
  open: boolean;
  active: boolean;
  checked: boolean;
  now: number;
  onRowClick(id: string, how: RowClick): void;
  onCheck(id: string, on: boolean, how: RowClick): void;
  onActiveChange(id: string): void;
}

const Row = memo(function Row({ v, index, count, open, active, checked, now, onRowClick, onCheck, onActiveChange }: RowProps) {
  const expiry = v.archivedOnly ? 'kept' : expiryState(v.expires, v.keep, now);
  return (
    <div
      className="vvm-row"
      role="option"
      id={`voicemail-row-${index}`}
      aria-selected={checked}
      aria-current={open ? 'true' : undefined}
      aria-posinset={index + 1}
      aria-setsize={count}
      aria-label={rowLabel(v, now)}
      tabIndex={active ? 0 : -1}
      data-testid="voicemail-row"
      data-id={v.id}
      data-read={v.read ? 'true' : 'false'}
      data-expiry={expiry}
      data-archived={v.archivedOnly ? 'true' : 'false'}
      onClick={(e) => onRowClick(v.id, clickHow(e))}
      onFocus={() => active || onActiveChange(v.id)}
      style={{ top: index * ROW_HEIGHT }}
    >
      <span className="vvm-dot" aria-hidden />
      <input
        className="vvm-tick"
        type="checkbox"
        checked={checked}
        readOnly
        tabIndex={-1}
        aria-hidden
        onClick={(e) => {
          e.stopPropagation();
          onCheck(v.id, !checked, clickHow(e));
        }}
        data-testid="voicemail-check"
      />
      <div className="vvm-texts">
        <div className="vvm-line">
          {v.name ? `${v.name} · ` : ''}
          {formatPhone(v.from)}
        </div>
        <div className="vvm-sub">
          {formatRelativeDate(v.date, now)} · {formatDuration(v.duration)}
          {v.notes ? ` · ${v.notes}` : ''}
        </div>
      </div>
      {v.archivedOnly ? (
        <span className="vvm-archived" data-testid="voicemail-archived">
          Archived
        </span>
      ) : (
        <span className="vvm-expiry" data-expiry={expiry} data-testid="voicemail-expiry">
          {formatExpiry(v.expires, v.keep, now)}
        </span>
      )}
    </div>
  );
});

/** The windowed list, or a skeleton while loading, or the empty text. */
export const VoicemailList = forwardRef<VoicemailListHandle, VoicemailListProps>(function VoicemailList(
  { items, openId, activeId, checked, loading = false, emptyText = 'No voicemail.', onRowClick, onCheck, onActiveChange, now: nowProp, scrollParent },
  ref,
) {
  const own = useRef<HTMLDivElement>(null);
  const listbox = useRef<HTMLDivElement>(null);
  // One clock per list, not per render: a changing `now` would redraw every (memoised) row.
  const [mountedAt] = useState(() => Date.now());
  const now = nowProp ?? mountedAt;
  // The part of the list in view: `top` is how far the scroller has scrolled past the list's first row.
  const [view, setView] = useState({ top: 0, height: 0 });
  const empty = items.length === 0;

  const measure = useCallback(() => {
    const sp = scrollParent?.current ?? own.current;
    if (!sp) return;
    // The rows in view are those inside the scroller's box AND inside the window: when the page lays the
    // scroller out taller than the window (an ancestor scrolls instead), only what the window shows counts,
    // so 5,000 voicemails never become 5,000 rows whatever the layout around the list.
    const box = sp.getBoundingClientRect();
    const visTop = Math.max(box.top, 0);
    const visBottom = Math.min(box.bottom, window.innerHeight || box.bottom);
    const lb = listbox.current;
    // Without rows yet (empty, loading) the list will start where the scroller's content starts.
    const listTop = lb ? lb.getBoundingClientRect().top : box.top - sp.scrollTop;
    const next = { top: visTop - listTop, height: Math.max(0, visBottom - visTop) };
    setView((v) => (v.top === next.top && v.height === next.height ? v : next));
  }, [scrollParent]);

  useLayoutEffect(() => {
    const sp = scrollParent?.current ?? own.current;
    if (!sp) return;
    measure();
    // Any scroll (the list's scroller or an ancestor) and any resize moves the rows in view.
    document.addEventListener('scroll', measure, { capture: true, passive: true });
    window.addEventListener('resize', measure);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(sp);
    return () => {
      document.removeEventListener('scroll', measure, { capture: true });
      window.removeEventListener('resize', measure);
      ro?.disconnect();
    };
  }, [measure, scrollParent, loading, empty]);

  const activeIndex = activeId === null ? -1 : items.findIndex((v) => v.id === activeId);

  const focusActive = useCallback(() => {
    const i = Math.max(0, activeIndex);
    // The active row is always rendered (see below): bring it into view (the scroller's scroll-padding
    // keeps it clear of a sticky header) and focus it, once React has drawn it.
    requestAnimationFrame(() => {
      const row = listbox.current?.querySelector<HTMLElement>(`[aria-posinset="${i + 1}"]`);
      // (jsdom has no scrollIntoView.)
      row?.scrollIntoView?.({ block: 'nearest' });
      row?.focus({ preventScroll: true });
    });
  }, [activeIndex]);
  useImperativeHandle(ref, () => ({ focusActive }), [focusActive]);

  // A shorter list (a filter, a delete) moves the rows under the viewport: measure again.
  useLayoutEffect(measure, [items.length, measure]);

  if (loading && items.length === 0) {
    return (
      <Box role="status" aria-busy="true" aria-label="Loading voicemail" data-testid="voicemail-skeleton" sx={{ p: 1 }}>
        {Array.from({ length: 6 }, (_, i) => (
          <Box key={i} sx={{ display: 'flex', alignItems: 'center', gap: 1.5, height: ROW_HEIGHT, px: 1 }}>
            <Skeleton variant="circular" width={20} height={20} />
            <Box sx={{ flex: 1 }}>
              <Skeleton variant="text" width="55%" />
              <Skeleton variant="text" width="80%" />
            </Box>
          </Box>
        ))}
      </Box>
    );
  }
  if (items.length === 0) {
    return (
      <Typography color="text.secondary" sx={{ p: 3 }} data-testid="voicemail-empty">
        {emptyText}
      </Typography>
    );
  }

  const { top, height } = view;
  const first = height === 0 ? 0 : Math.max(0, Math.floor(Math.max(0, top) / ROW_HEIGHT) - OVERSCAN);
  const last = height === 0 ? Math.min(items.length, UNMEASURED_ROWS) : Math.min(items.length, Math.max(0, Math.ceil((top + height) / ROW_HEIGHT)) + OVERSCAN);
  const indices: number[] = [];
  for (let i = first; i < last; i++) indices.push(i);
  // The focused row stays in the DOM when scrolled away, so focus is never dropped to the page.
  if (activeIndex >= 0 && (activeIndex < first || activeIndex >= last)) indices.push(activeIndex);
  const tabStop = activeIndex >= 0 ? activeIndex : 0;
  if (tabStop < first || tabStop >= last) {
    if (!indices.includes(tabStop)) indices.push(tabStop);
  }

  return (
    <Box ref={own} sx={scrollParent ? { position: 'relative' } : { flex: 1, minHeight: 0, overflowY: 'auto', overflowX: 'hidden', position: 'relative' }} data-testid="voicemail-scroller">
      <ListStyles />
      <Box
        ref={listbox}
        role="listbox" aria-label="Voicemails" aria-multiselectable="true" data-testid="voicemail-list" data-count={items.length} sx={{ position: 'relative', height: items.length * ROW_HEIGHT }}>
        {indices.map((i) => {
          const v = items[i];
          if (!v) return null;
          return (
            <Row
              key={v.id}
              v={v}
              index={i}
              count={items.length}
              open={v.id === openId}
              active={i === tabStop}
              checked={checked.has(v.id)}
              now={now}
              onRowClick={onRowClick}
              onCheck={onCheck}
              onActiveChange={onActiveChange}
            />
          );
        })}
      </Box>
    </Box>
  );
});
