// The account tab: visual voicemail on/off ("unknown" while the server has not said), voicemail PIN
// change, quotas, and what the SIM says: reader, ICCID, IMPI, every IMPU, PIN tries left.
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Profile } from '../../shared/domain/mstore.js';
import type { CardInfoValue, CardStatusValue, QuotaValue } from '../../shared/ipc/contract.js';
import { api, newOpId } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { formatKiB, formatPhone } from '../format.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Props of {@link AccountPanel}. */
export interface AccountPanelProps {
  enabled: boolean;
  /** The card status, for the PIN tries left when the card info does not say. */
  status?: CardStatusValue | null;
}

function UsageBar({ label, used, max, format = String }: { label: string; used: number | null; max: number | null; format?: (n: number | null) => string }) {
  const pct = used !== null && max !== null && max > 0 ? Math.min(100, (used / max) * 100) : 0;
  return (
    <Stack spacing={0.5}>
      <Typography variant="body2">
        {label}: {format(used)} of {format(max)}
      </Typography>
      <LinearProgress variant="determinate" value={pct} aria-label={label} color={pct > 90 ? 'error' : 'primary'} />
    </Stack>
  );
}

function pinText(card: CardInfoValue, status: CardStatusValue | null): string {
  const tries = card.pin?.triesLeft ?? status?.triesLeft ?? null;
  if (card.pin && !card.pin.enabled) return 'off (the SIM does not ask for one)';
  const state = card.pin?.verified === true ? 'entered' : 'on';
  return tries !== null ? `${state}, ${tries} ${tries === 1 ? 'attempt' : 'attempts'} left` : state;
}

/** Profile, PIN, quota and card information. */
export function AccountPanel({ enabled, status = null }: AccountPanelProps) {
  const load = useOperation();
  const toggle = useOperation();
  const pinOp = useOperation();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [quota, setQuota] = useState<QuotaValue | null>(null);
  const [card, setCard] = useState<CardInfoValue | null>(null);
  const [oldPin, setOldPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [confirmPin, setConfirmPin] = useState('');
  const { run } = load;

  const refresh = useCallback(async () => {
    const p = await run((opId) => api().profileGet({ opId }));
    if (p.ok) setProfile(p.value);
    const q = await api().quotaGet({ opId: newOpId() });
    if (q.ok) setQuota(q.value);
    const c = await api().cardInfo({ opId: newOpId() });
    if (c.ok) setCard(c.value);
  }, [run]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh]);

  async function setActive(active: boolean) {
    const res = await toggle.run((opId) => api().profileSetActive({ active, opId }));
    if (res.ok) setProfile((p) => (p ? { ...p, vvmOn: active } : p));
  }

  async function changePin() {
    const res = await pinOp.run((opId) => api().profileChangePin({ oldPin, newPin, opId }));
    if (res.ok) {
      setOldPin('');
      setNewPin('');
      setConfirmPin('');
    }
  }

  const pinValid = /^\d{4,15}$/.test(oldPin) && /^\d{4,15}$/.test(newPin) && newPin === confirmPin;
  const vm = quota?.voicemail;
  const gr = quota?.greeting;
  return (
    <Stack spacing={2} sx={{ maxWidth: 720 }}>
      {load.state === 'running' && <LinearProgress aria-label="Loading account" />}
      <ErrorAlert error={load.error} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1">Visual voicemail</Typography>
        <FormControlLabel
          control={<Switch checked={profile?.vvmOn === true} disabled={!profile || toggle.state === 'running'} onChange={(e) => void setActive(e.target.checked)} />}
          label={profile == null ? (enabled ? 'Unknown: not read from the server yet' : 'Unknown: no SIM ready') : profile.vvmOn ? 'On: new voicemail is delivered here' : 'Off'}
          data-testid="vvm-state"
        />
        {profile?.blocked && <Alert severity="warning">The carrier has blocked visual voicemail on this line.</Alert>}
        <ErrorAlert error={toggle.error} />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1" gutterBottom>
          Voicemail PIN
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
          <TextField size="small" type="password" label="Current PIN" value={oldPin} onChange={(e) => setOldPin(e.target.value)} slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }} />
          <TextField size="small" type="password" label="New PIN" value={newPin} onChange={(e) => setNewPin(e.target.value)} slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }} />
          <TextField size="small" type="password" label="Repeat new PIN" value={confirmPin} error={confirmPin !== '' && confirmPin !== newPin} onChange={(e) => setConfirmPin(e.target.value)} slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }} />
          <Button variant="outlined" disabled={!pinValid || pinOp.state === 'running'} onClick={() => void changePin()}>
            Change
          </Button>
        </Stack>
        {pinOp.state === 'done' && <Alert severity="success" sx={{ mt: 1 }}>PIN changed.</Alert>}
        <ErrorAlert error={pinOp.error} />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }} data-testid="quota">
        <Typography variant="subtitle1" gutterBottom>
          Storage
        </Typography>
        {vm && gr ? (
          <Stack spacing={1.5}>
            <UsageBar label="Voicemails" used={vm.VMOccupiedMessages} max={vm.VMMessagesQuota} />
            <UsageBar label="Voicemail storage" used={vm.OccupiedStorage} max={vm.TotalStorage} format={formatKiB} />
            <UsageBar label="Greetings" used={gr.GreetingsOccupied} max={gr.GreetingsQuota} />
          </Stack>
        ) : (
          <Typography color="text.secondary">—</Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1" gutterBottom>
          SIM
        </Typography>
        {card ? (
          <Box component="dl" data-testid="sim-details" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 2, rowGap: 0.5, typography: 'body2', '& dd': { m: 0, overflowWrap: 'anywhere' }, '& dt': { color: 'text.secondary' } }}>
            <dt>Reader</dt>
            <dd>{card.reader}</dd>
            <dt>Number</dt>
            <dd>{card.msisdn !== null ? formatPhone(card.msisdn) : 'not on the SIM'}</dd>
            <dt>Application</dt>
            <dd>
              {card.app} · {card.gba === 'GBA_U' ? 'GBA in the card (GBA_U)' : 'GBA in the app (GBA_ME)'}
            </dd>
            {card.iccid !== undefined && (
              <>
                <dt>ICCID</dt>
                <dd>{card.iccid}</dd>
              </>
            )}
            <dt>Private identity (IMPI)</dt>
            <dd>{card.impi}</dd>
            <dt>Public identities (IMPU)</dt>
            <dd>
              {card.impu.length === 0 ? (
                'none on the card'
              ) : (
                <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="sim-impus">
                  {card.impu.map((u) => (
                    <li key={u}>{u}</li>
                  ))}
                </Box>
              )}
            </dd>
            <dt>SIM PIN</dt>
            <dd data-testid="sim-pin">{pinText(card, status)}</dd>
          </Box>
        ) : (
          <Typography color="text.secondary">{enabled ? '—' : 'Unknown: no SIM ready'}</Typography>
        )}
      </Paper>
    </Stack>
  );
}
