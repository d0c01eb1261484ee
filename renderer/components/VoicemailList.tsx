// The voicemail list: caller, date, duration, read state and expiry. Presentational only.
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import ListItemIcon from '@mui/material/ListItemIcon';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import type { Voicemail } from '../../shared/domain/mstore.js';
import { formatDate, formatDuration, formatExpiry, formatPhone } from '../format.js';

/** Props of {@link VoicemailList}. */
export interface VoicemailListProps {
  voicemails: Voicemail[];
  selectedId: string | null;
  onSelect(id: string): void;
  /** Ticked for a bulk action. */
  checked: ReadonlySet<string>;
  onCheck(id: string, on: boolean): void;
}

/** The relay takes at most this many objects per bulk request. */
export const MAX_BULK = 100;

/** One row per voicemail; unread ones are bold with a dot. */
export function VoicemailList({ voicemails, selectedId, onSelect, checked, onCheck }: VoicemailListProps) {
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
          <Checkbox
            size="small"
            edge="start"
            checked={checked.has(v.id)}
            disabled={!checked.has(v.id) && checked.size >= MAX_BULK}
            onClick={(e) => e.stopPropagation()}
            onChange={(e) => onCheck(v.id, e.target.checked)}
            slotProps={{ input: { 'aria-label': `Select voicemail from ${formatPhone(v.from)}` } }}
            data-testid="voicemail-check"
          />
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
