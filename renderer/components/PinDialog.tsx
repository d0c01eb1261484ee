// Asks for the SIM PIN, with "remember in the keychain". The PIN goes to main once and is not kept here.
import { useRef, useState } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import type { CardStatusValue } from '../../shared/ipc/contract.js';
import { api } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Props of {@link PinDialog}. */
export interface PinDialogProps {
  open: boolean;
  triesLeft: number | null;
  onClose(): void;
  onUnlocked(status: CardStatusValue): void;
}

/** The SIM PIN prompt. */
export function PinDialog({ open, triesLeft, onClose, onUnlocked }: PinDialogProps) {
  const [pin, setPin] = useState('');
  const [remember, setRemember] = useState(false);
  const op = useOperation();
  const valid = /^\d{4,8}$/.test(pin);
  const input = useRef<HTMLInputElement>(null);

  async function submit() {
    const res = await op.run((opId) => api().cardUnlock({ pin, remember, opId }));
    setPin('');
    if (res.ok) onUnlocked(res.value);
    // A refused PIN: the cursor goes back to the (cleared) field, ready for the next try.
    else input.current?.focus();
  }

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="pin-title">
      <DialogTitle id="pin-title">SIM PIN</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The SIM is locked. Enter its PIN{triesLeft !== null ? ` (${triesLeft} attempt${triesLeft === 1 ? '' : 's'} left)` : ''}.
        </DialogContentText>
        <TextField
          autoFocus
          fullWidth
          margin="dense"
          type="password"
          inputRef={input}
          label="PIN"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && valid) void submit();
          }}
          slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off', 'data-testid': 'pin-input' } }}
        />
        <FormControlLabel control={<Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)} />} label="Remember in the system keychain" />
        <ErrorAlert error={op.error} actionable={false} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={!valid || op.state === 'running'} onClick={() => void submit()} data-testid="pin-submit">
          Unlock
        </Button>
      </DialogActions>
    </Dialog>
  );
}
