// The local voicemail library for the Voicemail tab (issue 9): listed at once at launch and offline
// (`library:list` reads the library, no card or network needed), listed again whenever main says it
// changed (`library:changed`: a sync finished, a note was saved), with the background sync state
// (`sync:status`: last checked, checking now, error) and the actions on the library: notes, read state
// (local first, sent by the next sync), check now, and "archive, then delete from the server".
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/errors.js';
import type { LibraryListingValue, SyncStatusValue, SyncSummaryValue } from '../../shared/ipc/contract.js';
import type { BulkItemResult } from '../../shared/domain/mstore.js';
import type { Result } from '../../shared/result.js';
import { api, newOpId } from '../api.js';

/** What {@link useLibrary} returns. */
export interface LibraryState {
  /** The last listing; null until the first answer. */
  listing: LibraryListingValue | null;
  /** The last listing failed (the previous one, if any, stays shown). */
  error: AppError | null;
  /** True while a listing is being fetched. */
  loading: boolean;
  /** Background sync: last checked, checking now, last error; null until known. */
  sync: SyncStatusValue | null;
  /** Lists again (also done on every `library:changed`). */
  refresh(): Promise<void>;
  setNote(id: string, notes: string): Promise<Result<void>>;
  markRead(ids: string[], read: boolean): Promise<Result<void>>;
  /** Checks for voicemail now (joins a check in progress). */
  syncNow(): Promise<Result<SyncSummaryValue>>;
  /** Deletes from the server the voicemails whose library copy is verified; per-item results. */
  archiveThenDelete(ids: string[] | 'all'): Promise<Result<{ results: BulkItemResult[]; relisted: boolean }>>;
}

/**
 * Subscribes to the library and its sync state. `search` filters by caller, notes and labels (full-text,
 * in main); the listing follows it. `onOpen` is called when the user clicks a new-voicemail notification.
 */
export function useLibrary(search = '', onOpen?: (id: string) => void): LibraryState {
  const [listing, setListing] = useState<LibraryListingValue | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [sync, setSync] = useState<SyncStatusValue | null>(null);
  const mounted = useRef(true);
  // Answers can overtake each other (typing in the search box): only the latest request is shown.
  const latest = useRef(0);
  const searchRef = useRef(search);
  searchRef.current = search;
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;

  const refresh = useCallback(async () => {
    const seq = ++latest.current;
    setLoading(true);
    const res = await api().libraryList({ search: searchRef.current });
    if (!mounted.current || seq !== latest.current) return;
    setLoading(false);
    if (res.ok) {
      setListing(res.value);
      setError(null);
    } else setError(res.error);
  }, []);

  useEffect(() => {
    mounted.current = true;
    const offChanged = api().onLibraryChanged(() => void refresh());
    const offSync = api().onSyncStatus((s) => mounted.current && setSync(s));
    const offOpen = api().onNotifyOpen((e) => onOpenRef.current?.(e.id));
    void api()
      .syncStatus({})
      .then((r) => {
        if (mounted.current && r.ok) setSync((prev) => prev ?? r.value);
      });
    return () => {
      mounted.current = false;
      offChanged();
      offSync();
      offOpen();
    };
  }, [refresh]);

  // The first listing, and again whenever the search changes.
  useEffect(() => {
    void refresh();
  }, [search, refresh]);

  const setNote = useCallback((id: string, notes: string) => api().librarySetNote({ id, notes }), []);
  const markRead = useCallback((ids: string[], read: boolean) => api().libraryMarkRead({ ids, read }), []);
  const syncNow = useCallback(() => api().syncNow({ opId: newOpId() }), []);
  const archiveThenDelete = useCallback((ids: string[] | 'all') => api().libraryArchiveDelete({ ids, opId: newOpId() }), []);

  return { listing, error, loading, sync, refresh, setNote, markRead, syncNow, archiveThenDelete };
}
