// The window: title bar with the card state, tabs for voicemail, greetings and account.
import { useCallback, useEffect, useState } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { CardStatusValue } from '../../shared/ipc/contract.js';
import { api } from '../api.js';
import { AccountPanel } from './AccountPanel.js';
import { CardAdvice } from './CardAdvice.js';
import { CardStatusChip } from './CardStatusChip.js';
import { GreetingsPanel } from './GreetingsPanel.js';
import { PinDialog } from './PinDialog.js';
import { VoicemailsPanel } from './VoicemailsPanel.js';

type TabId = 'voicemail' | 'greetings' | 'account';

/** How often the card is looked for while there is none. */
export const CARD_POLL_MS = 3000;

/** The whole app. */
export function App() {
  const [status, setStatus] = useState<CardStatusValue | null>(null);
  const [tab, setTab] = useState<TabId>('voicemail');
  const [pinOpen, setPinOpen] = useState(false);

  const reload = useCallback(async () => {
    const res = await api().cardStatus({});
    if (res.ok) setStatus(res.value);
  }, []);

  useEffect(() => {
    void reload();
    return api().onCardStatus(setStatus);
  }, [reload]);

  useEffect(() => {
    if (status?.state === 'locked') setPinOpen(true);
  }, [status?.state]);

  // Without a card (or reader, or pcscd) ask again every few seconds, so inserting the SIM is noticed.
  // A locked or blocked card needs the user, not a retry.
  const waiting = status?.state === 'absent' || status?.state === 'noReader' || status?.state === 'serviceUnavailable';
  useEffect(() => {
    if (!waiting) return;
    const t = window.setInterval(() => void reload(), CARD_POLL_MS);
    return () => window.clearInterval(t);
  }, [waiting, reload]);

  const enabled = status?.state === 'ready';
  // Leaving demo mode (a SIM inserted after starting without one) swaps the whole mailbox: remount the
  // panels so nothing from the demo (a selection, a playing voicemail) lingers.
  const mailbox = status?.demo === true ? 'demo' : 'card';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <AppBar position="static" elevation={0}>
        <Toolbar sx={{ gap: 2 }}>
          <Typography variant="h6" sx={{ flexGrow: 1 }}>
            VVM Desk
          </Typography>
          <CardStatusChip status={status} onUnlock={() => setPinOpen(true)} onForgetPin={() => void api().pinForget({}).then(reload)} />
        </Toolbar>
        <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} textColor="inherit" indicatorColor="secondary" sx={{ px: 2 }}>
          <Tab value="voicemail" label="Voicemail" />
          <Tab value="greetings" label="Greetings" />
          <Tab value="account" label="Account" />
        </Tabs>
      </AppBar>
      <Box component="main" sx={{ flex: 1, p: 2, overflow: 'auto', bgcolor: 'background.default' }}>
        {status && status.state !== 'ready' && <CardAdvice state={status.state} onUnlock={() => setPinOpen(true)} />}
        {tab === 'voicemail' && <VoicemailsPanel key={mailbox} enabled={enabled} />}
        {tab === 'greetings' && <GreetingsPanel key={mailbox} enabled={enabled} />}
        {tab === 'account' && <AccountPanel key={mailbox} enabled={enabled} />}
      </Box>
      <PinDialog
        open={pinOpen}
        triesLeft={status?.triesLeft ?? null}
        onClose={() => setPinOpen(false)}
        onUnlocked={(s) => {
          setStatus(s);
          setPinOpen(false);
        }}
      />
    </Box>
  );
}
