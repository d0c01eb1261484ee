// The window: title bar with the card state, tabs for voicemail, greetings, account, settings and
// diagnostics. A tab's panel is mounted on its first visit and then stays mounted (hidden while another
// tab shows), so switching tabs keeps playback, the selection and the loaded lists.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { CardStatusValue } from '../../shared/ipc/contract.js';
import { api } from '../api.js';
import type { WindowDestination } from '../messages.js';
import { WindowActionsContext, type WindowActions } from '../window-actions.js';
import { AccountPanel } from './AccountPanel.js';
import { CardAdvice } from './CardAdvice.js';
import { CardStatusChip } from './CardStatusChip.js';
import { DemoBanner } from './DemoBanner.js';
import { DiagnosticsPanel } from './DiagnosticsPanel.js';
import { GreetingsPanel } from './GreetingsPanel.js';
import { PinDialog } from './PinDialog.js';
import { SettingsPanel } from './SettingsPanel.js';
import { VoicemailsPanel } from './VoicemailsPanel.js';
import { Welcome, useFirstRun } from './Welcome.js';

/** The tabs, in order. */
export const TABS = [
  { id: 'voicemail', label: 'Voicemail' },
  { id: 'greetings', label: 'Greetings' },
  { id: 'account', label: 'Account' },
  { id: 'settings', label: 'Settings' },
  { id: 'diagnostics', label: 'Diagnostics' },
] as const;

/** One of {@link TABS}. */
export type TabId = (typeof TABS)[number]['id'];

/** How often the card is looked for while there is none. */
export const CARD_POLL_MS = 3000;

/**
 * A tab's panel: mounted once visited, hidden (not unmounted) while another tab shows. A `fill` panel
 * takes the window's remaining height (the voicemail list scrolls inside itself), at least 420 px (with
 * the first-run note open in a small window the page scrolls instead); the others take their natural
 * height and the window scrolls.
 */
function TabPanel({ id, current, visited, fill = false, children }: { id: TabId; current: TabId; visited: ReadonlySet<TabId>; fill?: boolean; children: ReactNode }) {
  if (!visited.has(id)) return null;
  const shown = id === current;
  return (
    <Box
      role="tabpanel"
      id={`panel-${id}`}
      aria-labelledby={`tab-${id}`}
      hidden={!shown}
      data-testid={`panel-${id}`}
      // `display` is set here, so it must say "none" itself: a CSS display wins over the hidden attribute.
      sx={{ display: shown ? (fill ? 'flex' : 'block') : 'none', flexDirection: 'column', flex: fill ? '1 0 0' : 'none', minHeight: fill ? 420 : undefined }}
    >
      {children}
    </Box>
  );
}

/** The whole app. */
export function App() {
  const [status, setStatus] = useState<CardStatusValue | null>(null);
  const [tab, setTab] = useState<TabId>('voicemail');
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(() => new Set(['voicemail']));
  const [pinOpen, setPinOpen] = useState(false);
  const firstRun = useFirstRun();

  const show = useCallback((t: TabId) => {
    setTab(t);
    setVisited((v) => (v.has(t) ? v : new Set([...v, t])));
  }, []);

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

  const actions = useMemo<WindowActions>(
    () => ({
      go(d: WindowDestination) {
        if (d === 'pin') setPinOpen(true);
        else if (d === 'settings') show('settings');
        else if (d === 'diagnostics') show('diagnostics');
        // The log file in the file manager; where the host cannot show it, Diagnostics says where it is.
        else
          void api()
            .logReveal({})
            .then((r) => {
              if (!r.ok || !r.value.shown) show('diagnostics');
            });
      },
    }),
    [show],
  );

  const enabled = status?.state === 'ready';
  const demo = status?.demo === true;
  // Leaving demo mode (a SIM inserted after starting without one) swaps the whole mailbox: remount the
  // panels so nothing from the demo (a selection, a playing voicemail) lingers.
  const mailbox = demo ? 'demo' : 'card';
  return (
    <WindowActionsContext.Provider value={actions}>
      <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh', minWidth: 0 }}>
        <AppBar position="static" elevation={0}>
          <Toolbar variant="dense" sx={{ gap: 1, flexWrap: 'wrap', py: 0.5 }}>
            <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
              VVM Desk
            </Typography>
            <CardStatusChip status={status} onUnlock={() => setPinOpen(true)} onForgetPin={() => void api().pinForget({}).then(reload)} />
          </Toolbar>
          <Tabs value={tab} onChange={(_e, v: TabId) => show(v)} textColor="inherit" indicatorColor="secondary" variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile aria-label="Sections">
            {TABS.map((t) => (
              <Tab key={t.id} value={t.id} label={t.label} id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} data-testid={`tab-${t.id}`} />
            ))}
          </Tabs>
        </AppBar>
        <Box component="main" sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', p: { xs: 1.5, sm: 2 }, overflowY: 'auto', overflowX: 'hidden', bgcolor: 'background.default', minWidth: 0, '& > .MuiAlert-root': { flexShrink: 0 } }}>
          {firstRun.open && <Welcome onDone={firstRun.dismiss} />}
          {demo && <DemoBanner onWhatIsNeeded={firstRun.reopen} />}
          {status && status.state !== 'ready' && <CardAdvice state={status.state} onUnlock={() => setPinOpen(true)} />}
          <TabPanel id="voicemail" current={tab} visited={visited} fill>
            <VoicemailsPanel key={mailbox} enabled={enabled} />
          </TabPanel>
          <TabPanel id="greetings" current={tab} visited={visited}>
            <GreetingsPanel key={mailbox} enabled={enabled} />
          </TabPanel>
          <TabPanel id="account" current={tab} visited={visited}>
            <AccountPanel key={mailbox} enabled={enabled} status={status} />
          </TabPanel>
          <TabPanel id="settings" current={tab} visited={visited}>
            <SettingsPanel demo={demo} />
          </TabPanel>
          <TabPanel id="diagnostics" current={tab} visited={visited}>
            <DiagnosticsPanel key={mailbox} />
          </TabPanel>
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
    </WindowActionsContext.Provider>
  );
}
