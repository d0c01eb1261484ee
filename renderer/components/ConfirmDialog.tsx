// A yes/no question before something that cannot be undone. Generic: the voicemail tab asks before a
// delete; any panel can ask the same way. The safe answer has the focus, so Enter never destroys.
import { useRef, type ReactNode } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What goes and what that means, in words. */
  children: ReactNode;
  /** The label of the confirming button ("Delete"). */
  confirmLabel: string;
  /** Paints the confirming button in the error colour. */
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal question with Cancel (focused) and the named action. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      data-testid="confirm-dialog"
      // The focus trap may take the focus back to the dialog itself while it opens: give it to Cancel
      // once the dialog is in, so Enter right away means "no".
      slotProps={{ transition: { onEntered: () => cancel.current?.focus() } }}
    >
      <DialogTitle id="confirm-title">{title}</DialogTitle>
      <DialogContent id="confirm-body">{children}</DialogContent>
      <DialogActions>
        <Button ref={cancel} autoFocus onClick={onCancel} data-testid="confirm-cancel">
          Cancel
        </Button>
        <Button variant="contained" color={danger ? 'error' : 'primary'} onClick={onConfirm} data-testid="confirm-ok">
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
