// The voicemail list: caller, date, duration, read state and expiry. Presentational only.
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import ListItemIcon from '@mui/material/ListItemIcon';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import type { Voicemail } from '../../shared/domain/mstore.js';
import { formatDate, formatDuration, formatExpiry, formatPhone } from '../format.js';

/** Props of {@link VoicemailList}. */
export interface VoicemailListProps {
  voicemails: Voicemail[];
  selectedId: string | null;
  onSelect(id: string): void;
}

/** One row per voicemail; unread ones are bold with a dot. */
export function VoicemailList({ voicemails, selectedId, onSelect }: VoicemailListProps) {
  if (voicemails.length === 0) {
    return (
      <Typography color="text.secondary" sx={{ p: 3 }} data-testid="voicemail-empty">
        No voicemail.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Voicemails" data-testid="voicemail-list">
      {voicemails.map((v) => (
        <ListItemButton key={v.id} selected={v.id === selectedId} onClick={() => onSelect(v.id)} data-testid="voicemail-row" data-read={v.read ? 'true' : 'false'}>
          <ListItemIcon sx={{ minWidth: 24 }}>
            <Box aria-label={v.read ? 'read' : 'unread'} sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: v.read ? 'transparent' : 'primary.main' }} />
          </ListItemIcon>
          <ListItemText
            primary={formatPhone(v.from)}
            secondary={`${formatDate(v.date)} · ${formatDuration(v.duration)} · ${formatExpiry(v.expires, v.keep)}`}
            slotProps={{ primary: { sx: { fontWeight: v.read ? 400 : 700 } } }}
          />
        </ListItemButton>
      ))}
    </List>
  );
}
