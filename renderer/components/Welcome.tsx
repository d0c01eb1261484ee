// First run: what VVM Desk needs to reach one's own voicemail. Shown once (until dismissed), and again
// from the demo banner's "What do I need?".
import { useCallback, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';

const SEEN_KEY = 'vvm-desk.welcomeSeen';

function seen(): boolean {
  try {
    return window.localStorage.getItem(SEEN_KEY) === '1';
  } catch {
    return false;
  }
}

/** Whether the welcome shows, and how to dismiss or reopen it. */
export function useFirstRun(): { open: boolean; dismiss(): void; reopen(): void } {
  const [open, setOpen] = useState(() => !seen());
  const dismiss = useCallback(() => {
    try {
      window.localStorage.setItem(SEEN_KEY, '1');
    } catch {
      // Storage unavailable: it shows again next time, which is harmless.
    }
    setOpen(false);
  }, []);
  const reopen = useCallback(() => setOpen(true), []);
  return { open, dismiss, reopen };
}

/** Props of {@link Welcome}. */
export interface WelcomeProps {
  onDone(): void;
}

/** What is needed: a PC/SC reader, the SIM, and on Linux the pcscd service. */
export function Welcome({ onDone }: WelcomeProps) {
  return (
    <Alert
      severity="info"
      variant="outlined"
      sx={{ mb: 2 }}
      data-testid="welcome"
      action={
        <Button color="inherit" size="small" onClick={onDone}>
          Got it
        </Button>
      }
    >
      <AlertTitle>Welcome to VVM Desk</AlertTitle>
      VVM Desk reads your T-Mobile visual voicemail with your SIM card. You need:
      <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
        <li>a PC/SC smart-card reader (most USB readers; a SIM-to-card adapter if the SIM is small),</li>
        <li>your T-Mobile SIM in that reader,</li>
        <li>on Linux, the smart-card service pcscd running (sudo apt install pcscd; it starts by itself).</li>
      </Box>
      Without a card VVM Desk runs a demo with fictional voicemails. The SIM PIN, if the SIM has one, is asked for once.
    </Alert>
  );
}
