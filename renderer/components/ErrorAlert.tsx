// Shows an AppError: its message, the hint when there is one. Branches on `code`, never on text.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import type { AppError } from '../../shared/errors.js';

/** Props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  error: AppError | null;
  onClose?: () => void;
}

function severity(code: AppError['code']): 'error' | 'warning' | 'info' {
  if (code === 'op.cancelled') return 'info';
  if (code.startsWith('net.') || code === 'card.absent' || code === 'card.pinRequired' || code === 'keychain.unavailable') return 'warning';
  return 'error';
}

/** An inline alert for a failed operation. */
export function ErrorAlert({ error, onClose }: ErrorAlertProps) {
  if (!error) return null;
  return (
    <Alert severity={severity(error.code)} onClose={onClose} data-code={error.code} sx={{ my: 1 }}>
      {error.message}
      {error.hint && (
        <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
          {error.hint}
        </Box>
      )}
    </Alert>
  );
}
