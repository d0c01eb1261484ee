// The card state in the title bar; a locked card opens the PIN dialog. A remembered PIN can be forgotten
// with a labelled button that asks first.
import { useState } from 'react';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import type { CardStatusValue } from '../../shared/ipc/contract.js';

/** Props of {@link CardStatusChip}. */
export interface CardStatusChipProps {
  status: CardStatusValue | null;
  onUnlock(): void;
  onForgetPin(): void;
}

const LABELS: Record<CardStatusValue['state'], string> = {
  serviceUnavailable: 'Smart-card service not running',
  noReader: 'No card reader',
  absent: 'No SIM',
  locked: 'SIM locked',
  ready: 'SIM ready',
  blocked: 'SIM PIN blocked',
};

/** A chip with the card state, and "Forget PIN" when one is remembered. */
export function CardStatusChip({ status, onUnlock, onForgetPin }: CardStatusChipProps) {
  const [confirming, setConfirming] = useState(false);
  if (!status) return <Chip label="Checking SIM…" variant="outlined" sx={{ color: 'inherit' }} />;
  const label = `${status.demo ? 'Demo · ' : ''}${LABELS[status.state]}${status.pinStored ? ' · PIN remembered' : ''}`;
  const color = status.state === 'ready' ? 'success' : status.state === 'locked' ? 'warning' : 'error';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Chip data-testid="card-status" data-state={status.state} label={label} color={color} onClick={status.state === 'locked' ? onUnlock : undefined} />
      {status.pinStored && (
        <Button size="small" color="inherit" variant="outlined" onClick={() => setConfirming(true)} data-testid="forget-pin">
          Forget PIN
        </Button>
      )}
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="forget-pin-title">
        <DialogTitle id="forget-pin-title">Forget the SIM PIN?</DialogTitle>
        <DialogContent>
          <DialogContentText>The PIN is removed from the system keychain. The SIM stays unlocked until it is removed or the computer restarts; then VVM Desk asks for the PIN again.</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} autoFocus>
            Keep it
          </Button>
          <Button
            color="error"
            variant="contained"
            data-testid="forget-pin-confirm"
            onClick={() => {
              setConfirming(false);
              onForgetPin();
            }}
          >
            Forget PIN
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
