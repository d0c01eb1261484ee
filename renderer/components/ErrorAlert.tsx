// Shows an AppError as the window words it (renderer/messages.ts): what went wrong, what to do, and a
// button when the fix is somewhere in the window. Branches on `code` and `action`, never on text.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import type { AppError } from '../../shared/errors.js';
import { describeError, type WindowDestination } from '../messages.js';
import { useWindowActions } from '../window-actions.js';

/** Props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  error: AppError | null;
  onClose?: () => void;
  /** false: no button to another place (e.g. inside the PIN dialog, which is where "Enter PIN" leads). */
  actionable?: boolean;
}

const GO_LABEL: Record<WindowDestination, string> = {
  settings: 'Open Settings',
  diagnostics: 'Open Diagnostics',
  log: 'Open the log',
  pin: 'Enter PIN',
};

function severity(code: AppError['code']): 'error' | 'warning' | 'info' {
  if (code === 'op.cancelled') return 'info';
  if (code.startsWith('net.') || code === 'card.absent' || code === 'card.pinRequired' || code === 'keychain.unavailable') return 'warning';
  return 'error';
}

/** An inline alert for a failed operation. */
export function ErrorAlert({ error, onClose, actionable = true }: ErrorAlertProps) {
  const actions = useWindowActions();
  if (!error) return null;
  const m = describeError(error);
  const go = actionable ? m.go : null;
  return (
    <Alert
      severity={severity(error.code)}
      onClose={onClose}
      data-code={error.code}
      sx={{ my: 1 }}
      action={
        go !== null && actions ? (
          <Button color="inherit" size="small" onClick={() => actions.go(go)} data-testid="error-go">
            {GO_LABEL[go]}
          </Button>
        ) : undefined
      }
    >
      {m.text}
      {m.hint && (
        <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
          {m.hint}
        </Box>
      )}
    </Alert>
  );
}
