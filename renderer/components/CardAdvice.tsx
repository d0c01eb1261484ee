// What to do when the card is not ready: one sentence per state, with an action where there is one.
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { CardStatusValue } from '../../shared/ipc/contract.js';

/** Props of {@link CardAdvice}. */
export interface CardAdviceProps {
  state: CardStatusValue['state'];
  onUnlock(): void;
}

const ADVICE: Record<Exclude<CardStatusValue['state'], 'ready'>, string> = {
  serviceUnavailable: 'The smart-card service is not running. On Linux start pcscd (sudo systemctl start pcscd); on Windows start the "Smart Card" service.',
  noReader: 'No smart-card reader found. Connect a PC/SC reader with the SIM in a SIM-to-card adapter.',
  absent: 'Insert the SIM into the reader.',
  locked: 'The SIM is locked with its PIN.',
  blocked: 'The SIM PIN is blocked. Unblock it with the PUK from your carrier (call 611 or use a phone), then insert it again.',
};

/** An advice banner for a card that is not ready. */
export function CardAdvice({ state, onUnlock }: CardAdviceProps) {
  if (state === 'ready') return null;
  return (
    <Alert
      severity={state === 'blocked' || state === 'serviceUnavailable' ? 'error' : 'warning'}
      sx={{ mb: 2 }}
      data-testid="card-advice"
      action={
        state === 'locked' ? (
          <Button color="inherit" size="small" onClick={onUnlock}>
            Enter PIN
          </Button>
        ) : undefined
      }
    >
      {ADVICE[state]}
    </Alert>
  );
}
