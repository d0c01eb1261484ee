// The greetings tab: the list (active one marked, each with its subject), activate, delete (asked first;
// deleting the active greeting says callers now hear the standard one), and the recorder.
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import { ConfirmDialog } from './ConfirmDialog.js';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Greeting } from '../../shared/domain/mstore.js';
import { api } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { formatDate, formatDuration } from '../format.js';
import { ErrorAlert } from './ErrorAlert.js';
import { AudioPlayer } from './AudioPlayer.js';
import { GreetingRecorder } from './GreetingRecorder.js';

/** Props of {@link GreetingsPanel}. */
export interface GreetingsPanelProps {
  enabled: boolean;
}

function label(type: string): string {
  return type === 'voice-signature' ? 'Name' : 'Greeting';
}

/** Greetings list and recorder. */
export function GreetingsPanel({ enabled }: GreetingsPanelProps) {
  const list = useOperation();
  const action = useOperation();
  const [greetings, setGreetings] = useState<Greeting[]>([]);
  const [listening, setListening] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Greeting | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loadListening = useCallback((opId: string) => api().greetingAudio({ id: listening ?? '', opId }), [listening]);
  const { run } = list;

  const refresh = useCallback(async () => {
    const res = await run((opId) => api().greetingList({ opId }));
    if (res.ok) setGreetings(res.value);
  }, [run]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh]);

  async function activate(id: string) {
    setNotice(null);
    const res = await action.run((opId) => api().greetingActivate({ id, opId }));
    if (res.ok) await refresh();
  }
  async function remove(g: Greeting) {
    setNotice(null);
    const res = await action.run((opId) => api().greetingDelete({ id: g.id, opId }));
    if (res.ok) {
      if (listening === g.id) setListening(null);
      setNotice(g.active ? `${label(g.type)} deleted. Callers now hear the standard greeting.` : `${label(g.type)} deleted.`);
      await refresh();
    }
  }

  return (
    <Stack spacing={2}>
      <Paper variant="outlined">
        <Typography variant="subtitle1" sx={{ px: 2, py: 1 }}>
          Greetings
        </Typography>
        <Divider />
        {list.state === 'running' && <LinearProgress aria-label="Loading greetings" />}
        <ErrorAlert error={list.error ?? action.error} />
        {greetings.length === 0 && list.state !== 'running' ? (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            No custom greeting: callers hear the standard one.
          </Typography>
        ) : (
          <List dense data-testid="greeting-list">
            {greetings.map((g) => (
              <ListItem
                key={g.id}
                data-testid="greeting-row"
                data-active={g.active ? 'true' : 'false'}
                secondaryAction={
                  <Stack direction="row" spacing={1}>
                    <Button size="small" onClick={() => setListening(listening === g.id ? null : g.id)} data-testid="greeting-listen">
                      {listening === g.id ? 'Close' : 'Listen'}
                    </Button>
                    {!g.active && (
                      <Button size="small" onClick={() => void activate(g.id)} disabled={action.state === 'running'}>
                        Make active
                      </Button>
                    )}
                    <Button size="small" color="error" onClick={() => setDeleting(g)} disabled={action.state === 'running'} data-testid="greeting-delete">
                      Delete
                    </Button>
                  </Stack>
                }
              >
                <ListItemText
                  primary={
                    <>
                      {g.subject.trim() !== '' ? g.subject : label(g.type)} {g.active && <Chip size="small" color="primary" label="Active" sx={{ ml: 1 }} />}
                    </>
                  }
                  secondary={`${label(g.type)} · ${formatDuration(g.duration)} · ${formatDate(g.date)}`}
                  sx={{ pr: 28, overflowWrap: 'anywhere' }}
                />
              </ListItem>
            ))}
          </List>
        )}
        {listening !== null && greetings.some((g) => g.id === listening) && <AudioPlayer key={listening} load={loadListening} height={48} />}
        {notice && (
          <Alert severity="success" sx={{ m: 1 }} onClose={() => setNotice(null)} data-testid="greeting-notice">
            {notice}
          </Alert>
        )}
        <ConfirmDialog
          open={deleting !== null}
          title={deleting?.active ? 'Delete the active greeting?' : 'Delete this greeting?'}
          confirmLabel="Delete"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const g = deleting;
            setDeleting(null);
            if (g) void remove(g);
          }}
        >
          {deleting && (
            <>
              “{deleting.subject.trim() !== '' ? deleting.subject : label(deleting.type)}” ({formatDuration(deleting.duration)}) is deleted from the carrier for good.
              {deleting.active && ' Callers will then hear the standard greeting.'}
            </>
          )}
        </ConfirmDialog>
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <GreetingRecorder enabled={enabled} onUploaded={() => void refresh()} />
      </Paper>
    </Stack>
  );
}
