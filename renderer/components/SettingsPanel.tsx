// Connection settings: relay, BSF, reader, IMEI, phone number. Main validates them (settings:set) and
// opens the next session with them; the form only collects text.
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Settings } from '../../shared/settings.js';
import type { AppError } from '../../shared/errors.js';
import { api } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Optional text fields: an empty box means "not set". */
type OptionalKey = 'reader' | 'imei' | 'msisdn';

function withOptional(s: Settings, key: OptionalKey, value: string): Settings {
  const next: Settings = { ...s };
  if (value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** Trims the optional fields (only on save, so typing a space still works) and drops empty ones. */
function normalised(s: Settings): Settings {
  let next = s;
  for (const key of ['reader', 'imei', 'msisdn'] as const) next = withOptional(next, key, (next[key] ?? '').trim());
  return next;
}

/** The settings form. */
export function SettingsPanel() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void api()
      .settingsGet({})
      .then((r) => (r.ok ? setSettings(r.value) : setError(r.error)));
  }, []);

  if (!settings) return <ErrorAlert error={error} />;

  async function save(s: Settings) {
    setSaved(false);
    const r = await api().settingsSet({ settings: normalised(s) });
    if (r.ok) {
      setSettings(r.value);
      setError(null);
      setSaved(true);
    } else setError(r.error);
  }

  const edit = (patch: Partial<Settings>) => {
    setSaved(false);
    setSettings({ ...settings, ...patch });
  };
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="settings">
      <Typography variant="subtitle1" gutterBottom>
        Connection
      </Typography>
      <Stack spacing={1.5}>
        <TextField size="small" label="Voicemail server (mStoreRelay)" value={settings.server} onChange={(e) => edit({ server: e.target.value })} />
        <TextField size="small" label="BSF" helperText='"default", "derive" (TS 23.003 address from the SIM) or a URL' value={settings.bsf} onChange={(e) => edit({ bsf: e.target.value })} />
        <TextField size="small" label="Card reader" helperText="Name or part of it; empty: the first reader with a card" value={settings.reader ?? ''} onChange={(e) => setSettings(withOptional(settings, 'reader', e.target.value))} />
        <TextField size="small" label="Phone number" helperText="E.164 (+1…); empty: from the SIM" value={settings.msisdn ?? ''} onChange={(e) => setSettings(withOptional(settings, 'msisdn', e.target.value))} />
        <TextField size="small" label="IMEI sent to the BSF" helperText="Optional" value={settings.imei ?? ''} onChange={(e) => setSettings(withOptional(settings, 'imei', e.target.value))} />
        <FormControlLabel control={<Switch checked={settings.reuseBootstrap} onChange={(e) => edit({ reuseBootstrap: e.target.checked })} />} label="Reuse a GBA bootstrap while it is valid" />
        <Stack direction="row" spacing={1}>
          <Button variant="outlined" onClick={() => void save(settings)}>
            Save
          </Button>
        </Stack>
        {saved && <Alert severity="success">Saved. The next request uses these settings.</Alert>}
        {error?.code === 'ipc.invalidRequest' && Array.isArray(error.detail?.fields) ? (
          <Alert severity="error" data-testid="settings-invalid">
            Check these values: {error.detail.fields.map((f) => String(f).replace(/^settings\./, '')).join(', ')}
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        )}
      </Stack>
    </Paper>
  );
}
