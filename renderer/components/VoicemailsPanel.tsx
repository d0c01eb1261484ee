// The voicemail tab: loads the list, plays the selected voicemail (marking it read on first play),
// deletes and exports. Every call goes through window.api; the rules live in main.
import { useCallback, useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Snackbar from '@mui/material/Snackbar';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Voicemail } from '../../shared/domain/mstore.js';
import { ExportFormat, type ExportFormatValue } from '../../shared/ipc/contract.js';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { api } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { formatDate, formatExpiry, formatPhone } from '../format.js';
import { ErrorAlert } from './ErrorAlert.js';
import { VoicemailList } from './VoicemailList.js';
import { VoicemailPlayer } from './VoicemailPlayer.js';

/** Props of {@link VoicemailsPanel}. */
export interface VoicemailsPanelProps {
  /** False while the card is locked or absent: nothing can be fetched then. */
  enabled: boolean;
}

/** List, player and actions. */
export function VoicemailsPanel({ enabled }: VoicemailsPanelProps) {
  const list = useOperation();
  const action = useOperation();
  const [voicemails, setVoicemails] = useState<Voicemail[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormatValue>('wav');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const onCheck = useCallback((id: string, on: boolean) => {
    setChecked((c) => {
      const next = new Set(c);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const { run: runList } = list;
  const { run: runAction } = action;

  const refresh = useCallback(async () => {
    const res = await runList((opId) => api().voicemailList({ opId }));
    if (res.ok) setVoicemails(res.value);
  }, [runList]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh]);

  const onPlayed = useCallback(
    (id: string) => {
      setVoicemails((vs) => vs.map((v) => (v.id === id ? { ...v, read: true } : v)));
      void runAction((opId) => api().voicemailMarkRead({ ids: [id], read: true, opId })).then((res) => {
        if (!res.ok) setVoicemails((vs) => vs.map((v) => (v.id === id ? { ...v, read: false } : v)));
      });
    },
    [runAction],
  );

  const current = voicemails.find((v) => v.id === selected) ?? null;

  async function remove(ids: string[]) {
    const res = await runAction((opId) => api().voicemailDelete({ ids, opId }));
    if (res.ok) {
      if (selected !== null && ids.includes(selected)) setSelected(null);
      setVoicemails((vs) => vs.filter((v) => !ids.includes(v.id)));
      setChecked(new Set());
      setNotice(ids.length === 1 ? 'Voicemail deleted' : `${ids.length} voicemails deleted`);
    } else if (res.error.code === 'mstore.partial') {
      // Some went: the list says which.
      await refresh();
    }
  }

  async function exportSome(ids: string[]) {
    const res = await runAction((opId) => api().voicemailExport({ ids, format, opId }));
    if (res.ok && !res.value.cancelled) setNotice(`Exported ${res.value.written} file${res.value.written === 1 ? '' : 's'}`);
  }

  async function setRead(ids: string[], read: boolean) {
    const res = await runAction((opId) => api().voicemailMarkRead({ ids, read, opId }));
    if (res.ok) setVoicemails((vs) => vs.map((x) => (ids.includes(x.id) ? { ...x, read } : x)));
    else if (res.error.code === 'mstore.partial') await refresh();
  }

  const unread = voicemails.filter((v) => !v.read).length;
  useEffect(() => {
    // The window title (and taskbar entry) shows the number of new voicemails.
    document.title = unread > 0 ? `VVM Desk (${unread})` : 'VVM Desk';
  }, [unread]);
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(280px, 380px) 1fr', gap: 2, height: '100%' }}>
      <Paper variant="outlined" sx={{ overflow: 'auto' }}>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', px: 2, py: 1 }}>
          <Typography variant="subtitle1" data-testid="voicemail-count">
            {/* Without a ready SIM the count is unknown, not zero. */}
            {!enabled && voicemails.length === 0 ? 'Voicemail' : `${voicemails.length} voicemail${voicemails.length === 1 ? '' : 's'}`}
            {unread > 0 ? ` · ${unread} new` : ''}
          </Typography>
          <Button size="small" onClick={() => void refresh()} disabled={!enabled || list.state === 'running'}>
            Refresh
          </Button>
        </Stack>
        <Divider />
        {list.state === 'running' && <LinearProgress aria-label="Loading voicemail" />}
        <ErrorAlert error={list.error} />
        {checked.size > 0 && (
          <Stack direction="row" spacing={1} sx={{ px: 2, py: 1, alignItems: 'center', bgcolor: 'action.hover' }} data-testid="bulk-bar">
            <Typography variant="body2" sx={{ flex: 1 }}>
              {checked.size} selected
            </Typography>
            <Button size="small" onClick={() => void setRead([...checked], true)} disabled={action.state === 'running'}>
              Read
            </Button>
            <Button size="small" onClick={() => void setRead([...checked], false)} disabled={action.state === 'running'}>
              Unread
            </Button>
            <Button size="small" onClick={() => void exportSome([...checked])} disabled={action.state === 'running'}>
              Export
            </Button>
            <Button size="small" color="error" onClick={() => void remove([...checked])} disabled={action.state === 'running'} data-testid="bulk-delete">
              Delete
            </Button>
          </Stack>
        )}
        {enabled || voicemails.length > 0 ? (
          <VoicemailList voicemails={voicemails} selectedId={selected} onSelect={setSelected} checked={checked} onCheck={onCheck} />
        ) : (
          <Typography color="text.secondary" sx={{ p: 3 }}>
            Voicemail appears here once the SIM is ready.
          </Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 1 }}>
        {current ? (
          <>
            <Box sx={{ px: 2, pt: 1 }}>
              <Typography variant="h6">{formatPhone(current.from)}</Typography>
              {/* When it was left and how long the carrier keeps it: the list row scrolls away. */}
              <Typography variant="body2" color="text.secondary" data-testid="voicemail-when">
                {formatDate(current.date)}
                {formatExpiry(current.expires, current.keep) !== '' ? ` · ${formatExpiry(current.expires, current.keep)}` : ''}
              </Typography>
            </Box>
            <VoicemailPlayer key={current.id} id={current.id} onPlayed={onPlayed} />
            <Stack direction="row" spacing={1} sx={{ px: 2 }}>
              <Button variant="outlined" onClick={() => void setRead([current.id], !current.read)} disabled={action.state === 'running'}>
                Mark as {current.read ? 'unread' : 'read'}
              </Button>
              <TextField select size="small" label="Format" value={format} onChange={(e) => setFormat(ExportFormat.parse(e.target.value))} sx={{ minWidth: 110 }}>
                {ExportFormat.options.map((f) => (
                  <MenuItem key={f} value={f}>
                    {f.toUpperCase()}
                  </MenuItem>
                ))}
              </TextField>
              <Button variant="outlined" onClick={() => void exportSome([current.id])} disabled={action.state === 'running'}>
                Export…
              </Button>
              <Button variant="outlined" color="error" onClick={() => void remove([current.id])} disabled={action.state === 'running'}>
                Delete
              </Button>
            </Stack>
            <Box sx={{ px: 2, pt: 1 }}>
              {action.state === 'running' && (
                <LinearProgress
                  aria-label="Working"
                  variant={action.progress?.total ? 'determinate' : 'indeterminate'}
                  value={action.progress?.total ? ((action.progress.done ?? 0) / action.progress.total) * 100 : 0}
                />
              )}
              <ErrorAlert error={action.error} />
            </Box>
          </>
        ) : (
          <Typography color="text.secondary" sx={{ p: 3 }}>
            Select a voicemail to play it.
          </Typography>
        )}
      </Paper>
      <Snackbar open={notice !== null} autoHideDuration={3000} onClose={() => setNotice(null)} message={notice ?? ''} />
    </Box>
  );
}
