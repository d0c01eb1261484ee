// The voicemail tab: the list (search, filter, sort, selection), the player of the open voicemail, and the
// actions on one voicemail or on the ticked ones. Every call goes through window.api; the rules live in
// main. Deleting asks first; bulk actions report progress, the outcome and the failures where they were
// started, and can be cancelled; the keyboard reaches everything (`?` lists the shortcuts).
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { ExportFormat, type ExportFormatValue, type LibraryVoicemailValue, type SyncStatusValue } from '../../shared/ipc/contract.js';
import { api } from '../api.js';
import { useLibrary } from '../hooks/useLibrary.js';
import { useOperation } from '../hooks/useOperation.js';
import { describeError } from '../messages.js';
import { useShortcuts, type Shortcut } from '../hooks/useShortcuts.js';
import { expiryState, formatDate, formatExpiry, formatPhone, formatRelativeDate, warmFormatters } from '../format.js';
import { chunks, failuresOf, outcomeText, progressText, type BulkFailure, type BulkKind, type BulkOutcome } from '../bulk.js';
import { FILTERS, SORTS, filterVoicemails, sortVoicemails, type VoicemailFilter, type VoicemailItem, type VoicemailSort } from '../voicemail-view.js';
import type { AudioPlayerHandle } from './AudioPlayer.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { ShortcutsHelp, modKeyName } from './ShortcutsHelp.js';
import { VoicemailList, type RowClick, type VoicemailListHandle } from './VoicemailList.js';
import { VoicemailPlayer } from './VoicemailPlayer.js';

/** Props of {@link VoicemailsPanel}. */
export interface VoicemailsPanelProps {
  /** False while the card is locked or absent: nothing can be fetched then. */
  enabled: boolean;
  /**
   * Forces the delete question to say the library keeps a copy (tests). Normally the tab knows it from
   * the library listing: a voicemail whose audio the library has stays after a server delete.
   */
  libraryKeepsCopies?: boolean;
}

const FILTER_LABEL: Record<VoicemailFilter, string> = { all: 'All', unread: 'Unread', kept: 'Kept', expiring: 'Expiring soon', archived: 'Archived only' };
const SORT_LABEL: Record<VoicemailSort, string> = { newest: 'Newest first', oldest: 'Oldest first', caller: 'Caller', longest: 'Longest first', expiry: 'Expiring first' };
const FORMAT_KEY = 'vvm.export.format';

function loadFormat(): ExportFormatValue {
  try {
    const r = ExportFormat.safeParse(window.localStorage.getItem(FORMAT_KEY));
    return r.success ? r.data : 'wav';
  } catch {
    return 'wav';
  }
}

/** A library voicemail as the tab shows it. */
function fromLibrary(v: LibraryVoicemailValue): VoicemailItem {
  return {
    id: v.id,
    from: v.from,
    date: v.date,
    expires: v.expires,
    duration: v.duration,
    read: v.read,
    size: v.size,
    filename: v.filename,
    keep: v.keep,
    contentType: 'audio/amr',
    archivedOnly: v.goneFromServerAt !== null,
    stored: v.stored,
    notes: v.notes,
  };
}

/** The background sync in a few words: checking now, when it last checked, or why it could not. */
function syncText(s: SyncStatusValue | null, live: boolean, now: number): { text: string; error: boolean } | null {
  if (!live) return { text: 'Offline: showing the voicemail kept on this computer.', error: false };
  if (!s) return null;
  if (s.state === 'syncing') {
    const p = s.progress;
    return { text: p?.total ? `Checking for voicemail… ${p.done ?? 0} of ${p.total}` : 'Checking for voicemail…', error: false };
  }
  if (s.lastError) return { text: `Last check failed: ${describeError(s.lastError).text}`, error: true };
  if (s.lastSyncAt !== null) return { text: `Checked ${formatRelativeDate(new Date(s.lastSyncAt).toISOString(), now)}`, error: false };
  return null;
}

/** Where an action was started: its progress and outcome are shown there. */
type Origin = 'bulk' | 'item';

interface ActionStatus {
  origin: Origin;
  kind: BulkKind;
  running: boolean;
  done: number;
  total: number;
  outcome: BulkOutcome | null;
}

/** The voicemails a delete question is about. */
interface PendingDelete {
  ids: string[];
  origin: Origin;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** List, player and actions. */
export function VoicemailsPanel({ enabled, libraryKeepsCopies: keepsCopiesProp = false }: VoicemailsPanelProps) {
  const list = useOperation();
  const { run: runList } = list;
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const listRef = useRef<VoicemailListHandle>(null);
  const player = useRef<AudioPlayerHandle>(null);

  const [items, setItems] = useState<VoicemailItem[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<VoicemailFilter>('all');
  const [sort, setSort] = useState<VoicemailSort>('newest');
  const [openId, setOpenId] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  // The row the keyboard moves from: updated at once by move(), so a second key pressed before React has
  // drawn the first move still moves on from it (two quick Downs reach the second row).
  const keyboardAt = useRef<string | null>(null);
  keyboardAt.current = activeId;
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const [format, setFormatState] = useState<ExportFormatValue>(loadFormat);
  const [pending, setPending] = useState<PendingDelete | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const currentOp = useRef<string | null>(null);
  const column = useRef<HTMLDivElement>(null);
  const sticky = useRef<HTMLDivElement>(null);
  const [stickyHeight, setStickyHeight] = useState(0);
  const [moreAnchor, setMoreAnchor] = useState<HTMLElement | null>(null);

  // Rows brought into view by the keyboard stop below the sticky header, not under it.
  useLayoutEffect(() => {
    const el = sticky.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setStickyHeight(el.offsetHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const cancelRequested = useRef(false);

  // Relative dates and expiry move on while the window stays open.
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(t);
  }, []);

  function setFormat(f: ExportFormatValue) {
    setFormatState(f);
    try {
      window.localStorage.setItem(FORMAT_KEY, f);
    } catch {
      // Not remembered; the choice still applies now.
    }
  }

  // The local library (issue 9), when this data folder has one: it lists at once (offline too), keeps
  // what the server deleted, has notes, and syncs in the background. Without one, the server's list.
  const openRef = useRef<(id: string) => void>(() => {});
  const library = useLibrary('', (id) => openRef.current(id));
  const libraryOn = (library.listing?.msisdn ?? null) !== null;
  const libraryOnRef = useRef(libraryOn);
  libraryOnRef.current = libraryOn;
  const { syncNow, refresh: relistLibrary, setNote } = library;

  const show = useCallback((next: VoicemailItem[]) => {
    // Time from the data's arrival to the rows on screen, for the renderer benchmark.
    performance.mark('voicemail-list:data');
    setItems(next);
    setLoaded(true);
    const present = new Set(next.map((v) => v.id));
    setChecked((c) => ([...c].every((id) => present.has(id)) ? c : new Set([...c].filter((id) => present.has(id)))));
  }, []);

  useEffect(() => {
    const l = library.listing;
    if (l && l.msisdn !== null) show(l.voicemails.map(fromLibrary));
  }, [library.listing, show]);

  const refresh = useCallback(async () => {
    if (libraryOnRef.current) {
      // "Check now": the sync lists the server, fetches what is new, and the library tells us it changed.
      await syncNow();
      await relistLibrary();
      return;
    }
    const res = await runList((opId) => api().voicemailList({ opId }));
    // The library may have answered meanwhile: it has everything the server list has, and more.
    if (res.ok && !libraryOnRef.current) show(res.value);
  }, [runList, syncNow, relistLibrary, show]);

  // The server is asked only once the library said it has none (it answers at once, offline too).
  const libraryKnown = library.listing !== null || library.error !== null;
  useEffect(() => {
    if (enabled && libraryKnown && !libraryOnRef.current) void refresh();
  }, [enabled, libraryKnown, refresh]);
  // While the list is on its way (a card and a server take far longer than this).
  useEffect(() => warmFormatters(), []);

  const sorted = useMemo(() => sortVoicemails(items, sort), [items, sort]);
  const view = useMemo(() => filterVoicemails(sorted, text, filter, now), [sorted, text, filter, now]);
  useEffect(() => {
    if (!loaded) return;
    // Measured after the browser painted the rows (two frames: React commits, then the paint).
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('voicemail-list:painted')));
  }, [view, loaded]);

  const current = items.find((v) => v.id === openId) ?? null;
  const unread = items.filter((v) => !v.read).length;
  useEffect(() => {
    // The window title (and taskbar entry) shows the number of new voicemails.
    document.title = unread > 0 ? `VVM Desk (${unread})` : 'VVM Desk';
  }, [unread]);

  const onPlayed = useCallback((id: string) => {
    setItems((vs) => vs.map((v) => (v.id === id ? { ...v, read: true } : v)));
    // With the library: marked there at once (offline too) and sent to the server by the next sync.
    void (libraryOnRef.current ? api().libraryMarkRead({ ids: [id], read: true }) : api().voicemailMarkRead({ ids: [id], read: true, opId: crypto.randomUUID() }))
      .then((res) => {
        if (!res.ok) setItems((vs) => vs.map((v) => (v.id === id ? { ...v, read: false } : v)));
      });
  }, []);

  // ---- selection -------------------------------------------------------------------------------
  const open = useCallback((id: string) => {
    setOpenId(id);
    setActiveId(id);
    anchor.current = id;
  }, []);
  // A click on a new-voicemail notification opens it.
  openRef.current = (id) => {
    open(id);
    requestAnimationFrame(() => listRef.current?.focusActive());
  };

  const tickRange = useCallback(
    (to: string) => {
      const from = anchor.current ?? to;
      const a = view.findIndex((v) => v.id === from);
      const b = view.findIndex((v) => v.id === to);
      if (a < 0 || b < 0) return;
      const [lo, hi] = a < b ? [a, b] : [b, a];
      setChecked((c) => {
        const next = new Set(c);
        for (let i = lo; i <= hi; i++) {
          const v = view[i];
          if (v) next.add(v.id);
        }
        return next;
      });
    },
    [view],
  );

  const toggle = useCallback((id: string, on?: boolean) => {
    setChecked((c) => {
      const next = new Set(c);
      if (on ?? !c.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
    anchor.current = id;
  }, []);

  const onRowClick = useCallback(
    (id: string, how: RowClick) => {
      setActiveId(id);
      if (how.shift) tickRange(id);
      else if (how.toggle) toggle(id);
      else open(id);
    },
    [open, tickRange, toggle],
  );
  const onCheck = useCallback(
    (id: string, on: boolean, how: RowClick) => {
      setActiveId(id);
      if (how.shift) tickRange(id);
      else toggle(id, on);
    },
    [tickRange, toggle],
  );

  // ---- actions ---------------------------------------------------------------------------------
  const busy = status?.running === true;

  async function runBulk(kind: BulkKind, ids: string[], origin: Origin) {
    const outcome: BulkOutcome = { kind, total: ids.length, succeeded: 0, failures: [], cancelled: false, error: null };
    cancelRequested.current = false;
    setStatus({ origin, kind, running: true, done: 0, total: ids.length, outcome: null });
    const succeededIds: string[] = [];
    let first = true;
    for (const batch of chunks(ids)) {
      if (cancelRequested.current) {
        outcome.cancelled = true;
        break;
      }
      const opId = crypto.randomUUID();
      currentOp.current = opId;
      const base = outcome.succeeded + outcome.failures.length;
      const unsubscribe = api().onProgress(opId, (p) => {
        if (p.done !== undefined) setStatus((s) => (s ? { ...s, done: base + (p.done ?? 0) } : s));
      });
      try {
        let failed: BulkFailure[] = [];
        let error = null;
        if (kind === 'export') {
          const res = await api().voicemailExport({ ids: batch, format, opId, ...(!first && { sameFolder: true }) });
          if (res.ok && res.value.cancelled) {
            // The folder dialog was closed: nothing happened, nothing to report.
            setStatus(null);
            return;
          }
          if (res.ok) {
            failed = res.value.failed;
            outcome.folder = res.value.folder;
          } else error = res.error;
        } else {
          const read = kind === 'read';
          const res =
            kind === 'delete'
              ? await api().voicemailDelete({ ids: batch, opId })
              : libraryOnRef.current
                ? await api().libraryMarkRead({ ids: batch, read })
                : await api().voicemailMarkRead({ ids: batch, read, opId });
          if (!res.ok) error = res.error;
        }
        if (error?.code === 'op.cancelled') {
          outcome.cancelled = true;
          break;
        }
        if (error) {
          const named = failuresOf(error);
          if (named === null) {
            // The whole request failed (offline, card gone): the rest would fail the same way.
            outcome.error = error;
            break;
          }
          failed = named;
        }
        const bad = new Set(failed.map((f) => f.id));
        outcome.failures.push(...failed);
        for (const id of batch) if (!bad.has(id)) succeededIds.push(id);
        outcome.succeeded = succeededIds.length;
        setStatus((s) => (s ? { ...s, done: outcome.succeeded + outcome.failures.length } : s));
      } finally {
        unsubscribe();
        currentOp.current = null;
        first = false;
      }
    }
    applyDone(kind, succeededIds);
    setStatus({ origin, kind, running: false, done: outcome.succeeded + outcome.failures.length, total: ids.length, outcome });
    // Items failed: the server may see the mailbox differently (deleted elsewhere, expired). List again;
    // ticks on voicemails still there stay.
    if (outcome.failures.length > 0) void refresh();
  }

  function applyDone(kind: BulkKind, ids: string[]) {
    if (ids.length === 0) return;
    const done = new Set(ids);
    if (kind === 'read' || kind === 'unread') {
      setItems((vs) => vs.map((v) => (done.has(v.id) ? { ...v, read: kind === 'read' } : v)));
    } else if (kind === 'delete') {
      // Only what went leaves the selection: an unrelated multi-selection stays ticked.
      setChecked((c) => new Set([...c].filter((id) => !done.has(id))));
      const order = view.map((v) => v.id);
      const nextAfter = (id: string | null) => {
        if (id === null || !done.has(id)) return id;
        const i = order.indexOf(id);
        return order.slice(i + 1).find((x) => !done.has(x)) ?? order.slice(0, i).reverse().find((x) => !done.has(x)) ?? null;
      };
      // What the library holds stays, archived only; the rest is gone.
      const kept = new Set(items.filter((v) => done.has(v.id) && v.stored === true).map((v) => v.id));
      setActiveId((a) => (a !== null && kept.has(a) ? a : nextAfter(a)));
      setOpenId((o) => (o !== null && done.has(o) && !kept.has(o) ? null : o));
      setItems((vs) => vs.filter((v) => !done.has(v.id) || kept.has(v.id)).map((v) => (kept.has(v.id) ? { ...v, archivedOnly: true } : v)));
      // The sync records the server side of it in the library.
      if (libraryOnRef.current) void syncNow();
    }
  }

  function cancelAction() {
    cancelRequested.current = true;
    const opId = currentOp.current;
    if (opId !== null) void api().opCancel({ opId });
  }

  function askDelete(ids: string[], origin: Origin) {
    // Voicemails only the local library has are not on the server: nothing to delete there.
    const onServer = ids.filter((id) => items.find((v) => v.id === id)?.archivedOnly !== true);
    if (onServer.length > 0) setPending({ ids: onServer, origin });
  }

  function confirmDelete() {
    const p = pending;
    setPending(null);
    if (p) void runBulk('delete', p.ids, p.origin);
    // The focus goes back to the list, not to the page.
    requestAnimationFrame(() => listRef.current?.focusActive());
  }

  // ---- keyboard --------------------------------------------------------------------------------
  const move = useCallback(
    (delta: number | 'first' | 'last', extend: boolean) => {
      if (view.length === 0) return;
      const from = keyboardAt.current;
      const i = view.findIndex((v) => v.id === from);
      const to = delta === 'first' ? 0 : delta === 'last' ? view.length - 1 : i < 0 ? 0 : Math.min(view.length - 1, Math.max(0, i + delta));
      const id = view[to]?.id;
      if (id === undefined) return;
      if (extend) {
        if (anchor.current === null && from !== null) anchor.current = from;
        tickRange(id);
      }
      keyboardAt.current = id;
      setActiveId(id);
      requestAnimationFrame(() => listRef.current?.focusActive());
    },
    [view, tickRange],
  );

  // Stable for the memoised controls: they need not redraw when the list's data arrives.
  const arrowDownRef = useRef(() => {});
  arrowDownRef.current = () => move(view.findIndex((v) => v.id === activeId) < 0 ? 'first' : 0, false);
  const arrowDown = useCallback(() => arrowDownRef.current(), []);

  const shortcuts: Shortcut[] = [
    { key: 'f', mod: true, inFields: true, run: () => search.current?.focus() },
    { key: 'ArrowDown', run: () => move(1, false) },
    { key: 'ArrowUp', run: () => move(-1, false) },
    { key: 'ArrowDown', shift: true, run: () => move(1, true) },
    { key: 'ArrowUp', shift: true, run: () => move(-1, true) },
    { key: 'Home', run: () => move('first', false) },
    { key: 'End', run: () => move('last', false) },
    { key: 'Enter', notOnControls: true, run: () => activeId !== null && open(activeId) },
    { key: ' ', notOnControls: true, run: () => player.current?.togglePlay() },
    { key: 'x', run: () => activeId !== null && toggle(activeId) },
    { key: 'a', mod: true, run: () => setChecked((c) => (view.length > 0 && view.every((v) => c.has(v.id)) ? new Set() : new Set(view.map((v) => v.id)))) },
    { key: 'Escape', run: () => setChecked(new Set()) },
    { key: 'Delete', run: () => deleteShortcut() },
    // macOS keyboards have no Delete key: Cmd+Backspace, as in Finder and Mail.
    { key: 'Backspace', mod: true, run: () => deleteShortcut() },
    { key: '?', run: () => setHelpOpen(true) },
  ];
  function deleteShortcut() {
    if (busy) return;
    if (checked.size > 0) askDelete([...checked], 'bulk');
    else if (activeId !== null) askDelete([activeId], 'item');
  }
  useShortcuts(root, shortcuts, pending === null && !helpOpen);

  // ---- view ------------------------------------------------------------------------------------
  const filtered = text.trim() !== '' || filter !== 'all';
  const countText = !loaded
    ? enabled
      ? 'Loading voicemail…'
      : 'Voicemail'
    : filtered
      ? `${view.length} of ${plural(items.length, 'voicemail')}`
      : plural(items.length, 'voicemail');
  const pendingItems = pending ? pending.ids.map((id) => items.find((v) => v.id === id)).filter((v): v is VoicemailItem => v !== undefined) : [];
  const pendingKept = pendingItems.filter((v) => keepsCopiesProp || v.stored === true).length;
  const sync = libraryOn ? syncText(library.sync, library.listing?.live ?? true, now) : null;

  return (
    <Box ref={root} sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr) minmax(0, 1fr)', md: 'minmax(0, 5fr) minmax(0, 6fr)' }, gap: 2, height: '100%', minHeight: 0, minWidth: 0 }} data-testid="voicemails-panel">
      <Paper ref={column} variant="outlined" sx={{ minHeight: 0, minWidth: 0, overflowY: 'auto', overflowX: 'hidden', scrollPaddingTop: `${stickyHeight}px` }} data-testid="voicemail-column">
        {/* The header (search, filter, sort, the bulk bar) sticks while the column scrolls the list; in a
            small window the list gets all the height the header leaves. */}
        <Box ref={sticky} sx={{ position: 'sticky', top: 0, zIndex: 2, bgcolor: 'background.paper', borderBottom: 1, borderColor: 'divider' }} data-testid="voicemail-sticky">
          <Box sx={{ px: 1.5, pt: 0.5, pb: 1 }} data-testid="voicemail-header">
            <Stack direction="row" sx={{ alignItems: 'center', gap: 1, minWidth: 0 }}>
              <Typography variant="subtitle1" data-testid="voicemail-count" aria-live="polite" noWrap sx={{ flex: 1, minWidth: 0 }}>
                {countText}
                {loaded && unread > 0 ? ` · ${unread} new` : ''}
              </Typography>
              <Button size="small" onClick={() => void refresh()} disabled={libraryOn ? !enabled || library.sync?.state === 'syncing' : !enabled || list.state === 'running'} data-testid="voicemail-refresh">
                {libraryOn ? 'Check now' : 'Refresh'}
              </Button>
              <Tooltip title="Keyboard shortcuts (?)">
                <IconButton size="small" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)} data-testid="shortcuts-button">
                  <span aria-hidden style={{ fontSize: 15, lineHeight: 1, width: 18 }}>
                    ?
                  </span>
                </IconButton>
              </Tooltip>
            </Stack>
            {sync && (
              <Typography variant="caption" component="div" noWrap role="status" sx={{ color: sync.error ? 'error.main' : 'text.secondary' }} data-testid="sync-state" title={sync.text}>
                {sync.text}
              </Typography>
            )}
            <ListControls searchRef={search} text={text} onText={setText} filter={filter} onFilter={setFilter} sort={sort} onSort={setSort} onArrowDown={arrowDown} />
          </Box>
          {list.state === 'running' && (
            <Stack direction="row" sx={{ alignItems: 'center', gap: 1, px: 1.5, py: 0.5 }}>
              <LinearProgress aria-label="Loading voicemail" sx={{ flex: 1 }} />
              <Button size="small" onClick={list.cancel} data-testid="voicemail-load-cancel">
                Cancel
              </Button>
            </Stack>
          )}
          {checked.size > 0 && (
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, px: 1.5, py: 0.5, alignItems: 'center', bgcolor: 'action.hover', '& .MuiButton-root': { px: 1, minWidth: 0 } }} data-testid="bulk-bar" role="toolbar" aria-label="Ticked voicemails">
              <Typography variant="body2" sx={{ mr: 'auto' }}>
                {checked.size} selected
              </Typography>
              <TextField
                select
                size="small"
                hiddenLabel
                variant="filled"
                value={format}
                onChange={(e) => setFormat(ExportFormat.parse(e.target.value))}
                sx={{ width: 90 }}
                slotProps={{ htmlInput: { 'data-testid': 'bulk-format' }, select: { SelectDisplayProps: { 'aria-label': 'Export format' } } }}
              >
                {ExportFormat.options.map((f) => (
                  <MenuItem key={f} value={f}>
                    {f.toUpperCase()}
                  </MenuItem>
                ))}
              </TextField>
              <Button size="small" onClick={() => void runBulk('export', [...checked], 'bulk')} disabled={busy} data-testid="bulk-export">
                Export…
              </Button>
              <Button size="small" color="error" onClick={() => askDelete([...checked], 'bulk')} disabled={busy} data-testid="bulk-delete">
                Delete…
              </Button>
              <IconButton size="small" aria-label="More actions for the ticked voicemails" aria-haspopup="menu" onClick={(e) => setMoreAnchor(e.currentTarget)} disabled={busy} data-testid="bulk-more">
                <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>
                  ⋯
                </span>
              </IconButton>
              <Menu anchorEl={moreAnchor} open={moreAnchor !== null} onClose={() => setMoreAnchor(null)}>
                <MenuItem
                  onClick={() => {
                    setMoreAnchor(null);
                    void runBulk('read', [...checked], 'bulk');
                  }}
                >
                  Mark as read
                </MenuItem>
                <MenuItem
                  onClick={() => {
                    setMoreAnchor(null);
                    void runBulk('unread', [...checked], 'bulk');
                  }}
                >
                  Mark as unread
                </MenuItem>
                <MenuItem
                  onClick={() => {
                    setMoreAnchor(null);
                    setChecked(new Set());
                  }}
                >
                  Untick all
                </MenuItem>
              </Menu>
            </Box>
          )}
          {status?.origin === 'bulk' && status.running && <StatusLine status={status} onCancel={cancelAction} onClose={() => setStatus(null)} />}
        </Box>
        {(list.state === 'failed' || list.state === 'cancelled') && (
          <Box sx={{ px: 1.5 }} data-testid="voicemail-load-failed">
            {list.state === 'failed' ? <ErrorAlert error={list.error} /> : <Alert severity="info" sx={{ my: 1 }}>Loading was cancelled.</Alert>}
            <Button size="small" variant="outlined" onClick={() => void refresh()} disabled={!enabled} sx={{ mb: 1 }} data-testid="voicemail-retry">
              Retry
            </Button>
          </Box>
        )}
        {status?.origin === 'bulk' && !status.running && <StatusLine status={status} onCancel={cancelAction} onClose={() => setStatus(null)} />}
        {enabled || items.length > 0 || list.state === 'running' ? (
          <VoicemailList
            ref={listRef}
            items={view}
            openId={openId}
            activeId={activeId}
            checked={checked}
            loading={!loaded && list.state !== 'failed' && list.state !== 'cancelled'}
            emptyText={items.length > 0 ? 'No voicemail matches.' : 'No voicemail.'}
            onRowClick={onRowClick}
            onCheck={onCheck}
            onActiveChange={setActiveId}
            now={now}
            scrollParent={column}
          />
        ) : (
          <Typography color="text.secondary" sx={{ p: 3 }}>
            Voicemail appears here once the SIM is ready.
          </Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 1, minWidth: 0, overflowY: 'auto', overflowX: 'hidden' }} data-testid="voicemail-detail">
        {current ? (
          <>
            <Box sx={{ px: 2, pt: 1 }}>
              <Typography variant="h6" noWrap>
                {current.name ? `${current.name} · ` : ''}
                {formatPhone(current.from)}
              </Typography>
              {/* When it was left and how long the carrier keeps it: the list row scrolls away. */}
              <Typography variant="body2" color="text.secondary" data-testid="voicemail-when">
                {formatDate(current.date)}
                {current.archivedOnly ? ' · Archived: no longer on the server' : formatExpiry(current.expires, current.keep, now) !== '' ? ` · ${formatExpiry(current.expires, current.keep, now)}` : ''}
              </Typography>
              {!current.archivedOnly && expiryState(current.expires, current.keep, now) === 'soon' && (
                <Typography variant="body2" sx={{ color: 'warning.dark', fontWeight: 700 }}>
                  The carrier deletes it soon{keepsCopiesProp || current.stored === true ? '; the library keeps its copy.' : ': export it to keep it.'}
                </Typography>
              )}
              {libraryOn ? (
                <NoteEditor key={current.id} notes={current.notes ?? ''} onSave={(text) => setNote(current.id, text)} />
              ) : (
                current.notes && (
                  <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap' }} data-testid="voicemail-notes">
                    {current.notes}
                  </Typography>
                )
              )}
            </Box>
            <VoicemailPlayer ref={player} key={current.id} id={current.id} caller={formatPhone(current.from)} onPlayed={onPlayed} />
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, px: 2 }} data-testid="voicemail-actions">
              <Button variant="outlined" onClick={() => void runBulk(current.read ? 'unread' : 'read', [current.id], 'item')} disabled={busy}>
                Mark as {current.read ? 'unread' : 'read'}
              </Button>
              <TextField select size="small" label="Format" value={format} onChange={(e) => setFormat(ExportFormat.parse(e.target.value))} sx={{ width: 96 }}>
                {ExportFormat.options.map((f) => (
                  <MenuItem key={f} value={f}>
                    {f.toUpperCase()}
                  </MenuItem>
                ))}
              </TextField>
              <Button variant="outlined" onClick={() => void runBulk('export', [current.id], 'item')} disabled={busy}>
                Export…
              </Button>
              {!current.archivedOnly && (
                <Button variant="outlined" color="error" onClick={() => askDelete([current.id], 'item')} disabled={busy} data-testid="item-delete">
                  Delete…
                </Button>
              )}
            </Box>
            {status?.origin === 'item' && (
              <Box sx={{ px: 1, pt: 1 }}>
                <StatusLine status={status} onCancel={cancelAction} onClose={() => setStatus(null)} />
              </Box>
            )}
          </>
        ) : (
          <>
            {/* The voicemail an action was about may be gone (deleted): its outcome stays here. */}
            {status?.origin === 'item' && <StatusLine status={status} onCancel={cancelAction} onClose={() => setStatus(null)} />}
            <Typography color="text.secondary" sx={{ p: 3 }}>
              Select a voicemail to play it.
            </Typography>
          </>
        )}
      </Paper>
      <ConfirmDialog
        open={pending !== null}
        title={pendingItems.length === 1 ? `Delete the voicemail from ${formatPhone(pendingItems[0]?.from ?? null)}?` : `Delete ${pendingItems.length} voicemails?`}
        confirmLabel="Delete"
        danger
        onConfirm={confirmDelete}
        onCancel={() => setPending(null)}
      >
        {pendingItems.length > 1 && (
          <Typography component="ul" variant="body2" sx={{ pl: 2, mt: 0 }} data-testid="confirm-items">
            {pendingItems.slice(0, 3).map((v) => (
              <li key={v.id}>
                {formatPhone(v.from)}, {formatDate(v.date)}
              </li>
            ))}
            {pendingItems.length > 3 && <li>and {plural(pendingItems.length - 3, 'more', 'more')}</li>}
          </Typography>
        )}
        {pendingItems.length === 1 && pendingItems[0] && (
          <Typography variant="body2" sx={{ mb: 1 }}>
            Left {formatDate(pendingItems[0].date)}.
          </Typography>
        )}
        <Typography variant="body2">
          The carrier&apos;s copy is deleted for good.{' '}
          {pendingKept === pendingItems.length
            ? pendingItems.length === 1
              ? 'Your local library keeps its copy.'
              : 'Your local library keeps their copies.'
            : pendingKept > 0
              ? `Your local library keeps ${pendingKept} of them; ${pendingItems.length - pendingKept} have no local copy and are gone for good.`
              : 'VVM Desk keeps no copy: export first if you want to keep it.'}
        </Typography>
      </ConfirmDialog>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </Box>
  );
}

interface ListControlsProps {
  searchRef: RefObject<HTMLInputElement | null>;
  text: string;
  onText(t: string): void;
  filter: VoicemailFilter;
  onFilter(f: VoicemailFilter): void;
  sort: VoicemailSort;
  onSort(s: VoicemailSort): void;
  onArrowDown(): void;
}

/**
 * Search, filter and sort. Memoised: the list's data arriving (5,000 voicemails) redraws the rows, not
 * these three MUI fields.
 */
const ListControls = memo(function ListControls({ searchRef, text, onText, filter, onFilter, sort, onSort, onArrowDown }: ListControlsProps) {
  return (
    <>
      <TextField
        inputRef={searchRef}
        size="small"
        fullWidth
        type="search"
        placeholder="Search number, name, notes"
        value={text}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text !== '') {
            e.stopPropagation();
            onText('');
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            onArrowDown();
          }
        }}
        slotProps={{
          htmlInput: { 'aria-label': 'Search voicemail', 'data-testid': 'voicemail-search' },
          input: { endAdornment: <InputAdornment position="end" sx={{ color: 'text.secondary', fontSize: 12 }}>{`${modKeyName()}+F`}</InputAdornment> },
        }}
        sx={{ mt: 0.5 }}
      />
      <Stack direction="row" sx={{ gap: 1, mt: 1, minWidth: 0 }}>
        <TextField select size="small" label="Show" value={filter} onChange={(e) => onFilter(FILTERS.find((f) => f === e.target.value) ?? 'all')} sx={{ flex: 1, minWidth: 0 }} slotProps={{ htmlInput: { 'data-testid': 'voicemail-filter' } }}>
          {FILTERS.map((f) => (
            <MenuItem key={f} value={f} data-testid={`filter-${f}`}>
              {FILTER_LABEL[f]}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label="Sort" value={sort} onChange={(e) => onSort(SORTS.find((x) => x === e.target.value) ?? 'newest')} sx={{ flex: 1, minWidth: 0 }} slotProps={{ htmlInput: { 'data-testid': 'voicemail-sort' } }}>
          {SORTS.map((x) => (
            <MenuItem key={x} value={x} data-testid={`sort-${x}`}>
              {SORT_LABEL[x]}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
    </>
  );
});

/** Progress with Cancel while an action runs; its outcome (and, after an export, the folder) when done. */
function StatusLine({ status, onCancel, onClose }: { status: ActionStatus; onCancel(): void; onClose(): void }) {
  if (status.running) {
    return (
      <Box sx={{ px: 1.5, py: 1 }} data-testid="action-progress">
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
          <Typography variant="body2" sx={{ flex: 1 }} aria-live="polite">
            {progressText(status.kind, status.done, status.total)}
          </Typography>
          <Button size="small" onClick={onCancel} data-testid="action-cancel">
            Cancel
          </Button>
        </Stack>
        <LinearProgress aria-label="Working" variant={status.total > 1 ? 'determinate' : 'indeterminate'} value={status.total > 1 ? (status.done / status.total) * 100 : 0} />
      </Box>
    );
  }
  const o = status.outcome;
  if (!o) return null;
  const { severity, text } = outcomeText(o);
  const exported = o.kind === 'export' && o.succeeded > 0 && o.folder;
  return (
    <Alert
      severity={severity}
      onClose={onClose}
      sx={{ mx: 1, my: 0.5, py: 0, '& .MuiAlert-message': { minWidth: 0, overflowWrap: 'anywhere' } }}
      data-testid="action-outcome"
      data-severity={severity}
    >
      {text}
      {exported && (
        <>
          <Box component="span" sx={{ display: 'block' }} data-testid="export-folder">
            To {o.folder}
          </Box>
          <Button color="inherit" size="small" variant="outlined" onClick={() => void api().exportShowFolder({})} sx={{ mt: 0.5 }} data-testid="show-in-folder">
            Show in folder
          </Button>
        </>
      )}
    </Alert>
  );
}

/** The note on a voicemail, kept in the local library; saved on Save (or Ctrl/Cmd+Enter). */
function NoteEditor({ notes, onSave }: { notes: string; onSave(text: string): Promise<{ ok: boolean }> }) {
  const [text, setText] = useState(notes);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  useEffect(() => setText(notes), [notes]);
  const changed = text !== notes;
  async function save() {
    setState('saving');
    const res = await onSave(text);
    setState(res.ok ? 'saved' : 'failed');
  }
  return (
    <Box sx={{ mt: 1 }}>
      <TextField
        label="Note"
        size="small"
        fullWidth
        multiline
        maxRows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value.slice(0, 10_000));
          setState('idle');
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && changed) void save();
        }}
        slotProps={{ htmlInput: { 'data-testid': 'voicemail-note' } }}
      />
      {(changed || state !== 'idle') && (
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mt: 0.5 }}>
          <Button size="small" variant="outlined" onClick={() => void save()} disabled={!changed || state === 'saving'} data-testid="voicemail-note-save">
            Save note
          </Button>
          <Typography variant="caption" color={state === 'failed' ? 'error' : 'text.secondary'} aria-live="polite">
            {state === 'saved' ? 'Saved.' : state === 'failed' ? 'Not saved: try again.' : ''}
          </Typography>
        </Stack>
      )}
    </Box>
  );
}
