// The card state in the title bar; a locked card opens the PIN dialog, a stored PIN can be forgotten.
import Chip from '@mui/material/Chip';
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

/** A chip with the card state. */
export function CardStatusChip({ status, onUnlock, onForgetPin }: CardStatusChipProps) {
  if (!status) return <Chip label="Checking SIM…" variant="outlined" sx={{ color: 'inherit' }} />;
  const label = `${status.demo ? 'Demo · ' : ''}${LABELS[status.state]}${status.pinStored ? ' · PIN remembered' : ''}`;
  const color = status.state === 'ready' ? 'success' : status.state === 'locked' ? 'warning' : 'error';
  return (
    <Chip
      data-testid="card-status"
      data-state={status.state}
      label={label}
      color={color}
      onClick={status.state === 'locked' ? onUnlock : undefined}
      onDelete={status.pinStored ? onForgetPin : undefined}
    />
  );
}
