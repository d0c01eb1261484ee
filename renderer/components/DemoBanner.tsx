// Demo mode said plainly: the mailbox, the callers and the SIM are simulated; a real SIM ends the demo.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';

/** Props of {@link DemoBanner}. */
export interface DemoBannerProps {
  /** Shows what is needed to use one's own line. */
  onWhatIsNeeded(): void;
}

/** The banner shown while the app runs on the built-in simulated SIM and carrier. */
export function DemoBanner({ onWhatIsNeeded }: DemoBannerProps) {
  return (
    <Alert
      severity="info"
      sx={{ mb: 2, py: 0 }}
      data-testid="demo-banner"
      action={
        <Button color="inherit" size="small" onClick={onWhatIsNeeded} sx={{ whiteSpace: 'nowrap' }}>
          What do I need?
        </Button>
      }
    >
      <strong>Demo mode:</strong> these voicemails and callers are fictional. Insert your SIM in a card reader to use your own line; the window switches to it by itself.
    </Alert>
  );
}
