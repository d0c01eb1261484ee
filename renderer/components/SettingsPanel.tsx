// Every setting in the window: the voicemail server (production, staging or another), the BSF, the NAF
// name override, the phone number, the IMEI, extra CA certificates, timeouts, bootstrap reuse, the card
// reader, and the colour scheme. Main validates (settings:set) and applies them to the next request;
// saving settings that do not concern the card keeps it unlocked. In demo mode the settings the demo
// replaces (server, BSF, reader) say so.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FilePickButton } from './FilePickButton.js';
import { useColorScheme } from '@mui/material/styles';
import { DEFAULT_BSF, DEFAULT_SERVER, type Settings } from '../../shared/settings.js';
import type { AppError } from '../../shared/errors.js';
import type { ReaderEntryValue } from '../../shared/ipc/contract.js';
import type { z } from 'zod';
import type { CaSummarySchema } from '../../shared/ipc/contract.js';
import { ConfirmDialog } from './ConfirmDialog.js';

type CaSummaryValue = z.infer<typeof CaSummarySchema>;
import { api, newOpId } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

/** The carrier's staging relay (protocol notes, "Servers"). */
export const STAGING_SERVER = 'https://wsg2.stg.sip.t-mobile.com/phone20/mStoreRelay';

/** Optional text fields: an empty box means "not set". */
type OptionalKey = 'reader' | 'imei' | 'msisdn' | 'nafFqdn' | 'exportTemplate';

/** The labels of the fields, also used to name the ones main refused (never the key names). */
export const FIELD_LABELS: Record<string, string> = {
  server: 'Voicemail server',
  bsf: 'BSF',
  nafFqdn: 'NAF name override',
  uaProtocolId: 'Ua security protocol',
  imei: 'IMEI sent to the BSF',
  msisdn: 'Phone number',
  caPem: 'Extra CA certificates',
  reuseBootstrap: 'Reuse a GBA bootstrap',
  reader: 'Card reader',
  connectTimeoutMs: 'Connect timeout',
  readTimeoutMs: 'Read timeout',
  maxResponseBytes: 'Largest response',
  syncIntervalMinutes: 'Check every (minutes)',
  expiryWarningDays: 'Warn days before expiry',
  inboxFullWarningMessages: 'Warn when this few left',
  exportTemplate: 'File names',
  exportManifest: 'Manifest',
};

/** "settings.caPem.0" -> "Extra CA certificates". */
export function fieldLabel(path: string): string {
  const key = path.replace(/^settings\./, '').split('.')[0] ?? path;
  return FIELD_LABELS[key] ?? key;
}

function withOptional(s: Settings, key: OptionalKey, value: string): Settings {
  const next: Settings = { ...s };
  if (value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** Trims the optional fields (only on save, so typing a space still works) and drops empty ones. */
function normalised(s: Settings): Settings {
  let next = s;
  for (const key of ['reader', 'imei', 'msisdn', 'nafFqdn', 'exportTemplate'] as const) next = withOptional(next, key, (next[key] ?? '').trim());
  return { ...next, server: next.server.trim() };
}

type ServerChoice = 'production' | 'staging' | 'custom';
function serverChoice(url: string): ServerChoice {
  return url === DEFAULT_SERVER ? 'production' : url === STAGING_SERVER ? 'staging' : 'custom';
}
type BsfChoice = 'default' | 'derive' | 'custom';
function bsfChoice(bsf: string): BsfChoice {
  return bsf === 'default' || bsf === 'derive' ? bsf : 'custom';
}

/** The first line of a PEM certificate's base64, to tell list entries apart without parsing. */
function caLabel(pem: string, i: number): string {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `Certificate ${i + 1} (${body.slice(0, 12)}…, ${pem.length} characters)`;
}

/** A small text file's content (FileReader: available wherever the window runs). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => reject(r.error ?? new Error('unreadable'));
    r.readAsText(file);
  });
}

const DEMO_NOTE = 'Demo mode uses its simulated carrier instead; this applies to your SIM.';

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  /** The app runs the built-in demo: the server, BSF and reader settings are not used by it. */
  demo?: boolean;
}

/** The settings form. */
export function SettingsPanel({ demo = false }: SettingsPanelProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [server, setServer] = useState<ServerChoice>('production');
  const [bsf, setBsf] = useState<BsfChoice>('default');
  const [readers, setReaders] = useState<ReaderEntryValue[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [caError, setCaError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pendingCa, setPendingCa] = useState<{ name: string; pem: string; certificates: CaSummaryValue[] } | null>(null);
  const { mode, setMode } = useColorScheme();

  const show = useCallback((s: Settings) => {
    setSettings(s);
    setServer(serverChoice(s.server));
    setBsf(bsfChoice(s.bsf));
  }, []);

  const listReaders = useCallback(async () => {
    const r = await api().cardReaders({ opId: newOpId() });
    setReaders(r.ok ? r.value : []);
  }, []);

  useEffect(() => {
    void api()
      .settingsGet({})
      .then((r) => (r.ok ? show(r.value) : setError(r.error)));
    void listReaders();
  }, [show, listReaders]);

  if (!settings) return <ErrorAlert error={error} />;

  async function save(s: Settings) {
    setSaved(false);
    const r = await api().settingsSet({ settings: normalised(s) });
    if (r.ok) {
      show(r.value);
      setError(null);
      setSaved(true);
    } else setError(r.error);
  }

  const edit = (patch: Partial<Settings>) => {
    setSaved(false);
    setSettings({ ...settings, ...patch });
  };
  const editOptional = (key: OptionalKey, value: string) => {
    setSaved(false);
    setSettings(withOptional(settings, key, value));
  };

  async function addCa(file: File) {
    setCaError(null);
    if (file.size > 64 * 1024) {
      setCaError(`${file.name} is too large for a CA certificate.`);
      return;
    }
    const text = await readText(file);
    if (!/-----BEGIN CERTIFICATE-----/.test(text)) {
      setCaError(`${file.name} is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----).`);
      return;
    }
    // Shown with its subject, issuer and fingerprint before it is trusted (main parses it).
    const d = await api().settingsDescribeCa({ pem: text.trim() });
    if (!d.ok) {
      setCaError(`${file.name} could not be read as a certificate.`);
      return;
    }
    setPendingCa({ name: file.name, pem: text.trim(), certificates: d.value.certificates });
  }

  const invalidFields = error?.code === 'ipc.invalidRequest' && Array.isArray(error.detail?.fields) ? [...new Set(error.detail.fields.map((f) => fieldLabel(String(f))))] : null;
  const demoNote = demo ? DEMO_NOTE : undefined;
  const readerNames = new Set((readers ?? []).map((r) => r.name));
  const readerValue = settings.reader ?? '';
  return (
    <Stack spacing={2} sx={{ maxWidth: 760, minWidth: 0 }} data-testid="settings">
      {demo && (
        <Alert severity="info" data-testid="settings-demo-note">
          Demo mode replaces the voicemail server, the BSF and the card reader with its simulated ones. What you set here is kept for your SIM.
        </Alert>
      )}
      <Section title="Connection">
        <Stack spacing={1.5}>
          <TextField
            select
            size="small"
            label="Voicemail server"
            value={server}
            helperText={demoNote}
            slotProps={{ select: { native: true } }}
            onChange={(e) => {
              const choice = e.target.value as ServerChoice;
              setServer(choice);
              if (choice === 'production') edit({ server: DEFAULT_SERVER });
              else if (choice === 'staging') edit({ server: STAGING_SERVER });
            }}
          >
            <option value="production">T-Mobile (production)</option>
            <option value="staging">T-Mobile staging</option>
            <option value="custom">Another server…</option>
          </TextField>
          {server === 'custom' && <TextField size="small" label="Server address (mStoreRelay)" value={settings.server} onChange={(e) => edit({ server: e.target.value })} helperText="https:// address of the mStoreRelay base" />}
          <TextField
            select
            size="small"
            label="BSF"
            value={bsf}
            helperText={demoNote ?? 'The carrier server that signs the SIM in (GBA)'}
            slotProps={{ select: { native: true } }}
            onChange={(e) => {
              const choice = e.target.value as BsfChoice;
              setBsf(choice);
              if (choice !== 'custom') edit({ bsf: choice });
              else edit({ bsf: '' as Settings['bsf'] });
            }}
          >
            <option value="default">T-Mobile ({new URL(DEFAULT_BSF).host})</option>
            <option value="derive">Derived from the SIM (TS 23.003)</option>
            <option value="custom">Another address…</option>
          </TextField>
          {bsf === 'custom' && <TextField size="small" label="BSF address" value={settings.bsf === 'default' || settings.bsf === 'derive' ? '' : settings.bsf} onChange={(e) => edit({ bsf: e.target.value as Settings['bsf'] })} helperText="https:// address" />}
          <TextField size="small" label="NAF name override" value={settings.nafFqdn ?? ''} onChange={(e) => editOptional('nafFqdn', e.target.value)} helperText="Experts only. Empty: the server’s host name, as the carrier expects" />
          <TextField size="small" label="Phone number" helperText="E.164 (+1…); empty: from the SIM" value={settings.msisdn ?? ''} onChange={(e) => editOptional('msisdn', e.target.value)} />
          <TextField size="small" label="IMEI sent to the BSF" helperText="Optional" value={settings.imei ?? ''} onChange={(e) => editOptional('imei', e.target.value)} />
          <FormControlLabel control={<Switch checked={settings.reuseBootstrap} onChange={(e) => edit({ reuseBootstrap: e.target.checked })} />} label="Reuse a GBA bootstrap while it is valid" />
          <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <SecondsField label="Connect timeout (s)" ms={settings.connectTimeoutMs} max={120} onMs={(connectTimeoutMs) => edit({ connectTimeoutMs })} />
            <SecondsField label="Read timeout (s)" ms={settings.readTimeoutMs} max={600} onMs={(readTimeoutMs) => edit({ readTimeoutMs })} />
          </Stack>
        </Stack>
      </Section>
      <Section title="Extra CA certificates">
        <Typography variant="body2" color="text.secondary">
          Only for a private or test server. Certificates are always checked; these are trusted in addition to the system’s.
        </Typography>
        {settings.caPem.length > 0 && (
          <List dense data-testid="ca-list">
            {settings.caPem.map((pem, i) => (
              <ListItem
                key={`${i}-${pem.length}`}
                secondaryAction={
                  <IconButton edge="end" aria-label={`Remove certificate ${i + 1}`} onClick={() => edit({ caPem: settings.caPem.filter((_, j) => j !== i) })}>
                    ×
                  </IconButton>
                }
              >
                <ListItemText primary={caLabel(pem, i)} />
              </ListItem>
            ))}
          </List>
        )}
        <FilePickButton size="small" sx={{ mt: 1 }} accept=".pem,.crt,.cer,application/x-pem-file" testId="ca-file" onFile={(f) => void addCa(f)}>
          Add a CA certificate…
        </FilePickButton>
        {caError && <Alert severity="warning">{caError}</Alert>}
        <ConfirmDialog
          open={pendingCa !== null}
          title="Trust this certificate authority?"
          confirmLabel="Trust it"
          danger
          onCancel={() => setPendingCa(null)}
          onConfirm={() => {
            const ca = pendingCa;
            setPendingCa(null);
            if (ca) edit({ caPem: [...settings.caPem, ca.pem] });
          }}
        >
          {pendingCa && (
            <Box data-testid="ca-describe" sx={{ typography: 'body2', overflowWrap: 'anywhere' }}>
              Servers whose certificates it signed will be trusted for the voicemail server and the BSF ({pendingCa.name}):
              {pendingCa.certificates.map((c) => (
                <Box key={c.fingerprint256} component="dl" sx={{ my: 1, '& dt': { color: 'text.secondary' }, '& dd': { m: 0, mb: 0.5 } }}>
                  <dt>Subject</dt>
                  <dd>{c.subject}</dd>
                  <dt>Issued by</dt>
                  <dd>{c.issuer}</dd>
                  <dt>Valid</dt>
                  <dd>
                    {c.validFrom} to {c.validTo}
                  </dd>
                  <dt>SHA-256 fingerprint</dt>
                  <dd>{c.fingerprint256}</dd>
                  {!c.isCa && <Alert severity="warning">This is not a CA certificate: it cannot vouch for other servers.</Alert>}
                </Box>
              ))}
            </Box>
          )}
        </ConfirmDialog>
      </Section>
      <Section title="New voicemail and reminders">
        <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <IntField label="Check every (minutes)" value={settings.syncIntervalMinutes} min={1} max={1440} onValue={(syncIntervalMinutes) => edit({ syncIntervalMinutes })} />
          <IntField label="Warn days before expiry" value={settings.expiryWarningDays} min={0} max={60} helperText="0: never" onValue={(expiryWarningDays) => edit({ expiryWarningDays })} />
          <IntField label="Warn when this few left" value={settings.inboxFullWarningMessages} min={0} max={100} helperText="Messages before the inbox is full; 0: never" onValue={(inboxFullWarningMessages) => edit({ inboxFullWarningMessages })} />
        </Stack>
      </Section>
      <Section title="Export">
        <Stack spacing={1.5}>
          <TextField size="small" label="File names" placeholder="{date} {time} {from} ({duration}).{ext}" value={settings.exportTemplate ?? ''} onChange={(e) => editOptional('exportTemplate', e.target.value)} helperText="{date} {time} {from} {duration} {ext}; empty: the default. The format is chosen at each export." />
          <Typography variant="body2" color="text.secondary" data-testid="export-folder">
            {settings.exportFolder !== undefined ? `Export folder: ${settings.exportFolder} (offered first at the next export)` : 'Export folder: asked at the first export, then remembered.'}
          </Typography>
          <TextField select size="small" label="Manifest" value={settings.exportManifest} slotProps={{ select: { native: true } }} onChange={(e) => edit({ exportManifest: e.target.value === 'json' || e.target.value === 'csv' ? e.target.value : 'none' })} helperText="A list of the exported voicemails beside the files" sx={{ maxWidth: 320 }}>
            <option value="none">None</option>
            <option value="csv">CSV (spreadsheets)</option>
            <option value="json">JSON</option>
          </TextField>
        </Stack>
      </Section>
      <Section title="Card reader">
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField
            select
            size="small"
            label="Card reader"
            value={readerValue}
            helperText={demoNote ?? 'The reader with the SIM'}
            slotProps={{ select: { native: true } }}
            onChange={(e) => editOptional('reader', e.target.value)}
            sx={{ minWidth: 260, maxWidth: '100%' }}
          >
            <option value="">The first reader with a card</option>
            {(readers ?? []).map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
                {r.cardPresent ? ' (card in it)' : ' (empty)'}
              </option>
            ))}
            {readerValue !== '' && !readerNames.has(readerValue) && <option value={readerValue}>{readerValue} (not connected)</option>}
          </TextField>
          <Button size="small" onClick={() => void listReaders()}>
            Look again
          </Button>
        </Stack>
      </Section>
      <Section title="Appearance">
        <TextField select size="small" label="Colours" value={mode ?? 'system'} slotProps={{ select: { native: true } }} onChange={(e) => setMode(e.target.value as 'system' | 'light' | 'dark')} data-testid="theme-select" sx={{ minWidth: 220 }}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </TextField>
      </Section>
      <Box>
        <Button variant="contained" onClick={() => void save(settings)} data-testid="settings-save">
          Save
        </Button>
      </Box>
      {saved && <Alert severity="success">Saved. The next request uses these settings.</Alert>}
      {invalidFields ? (
        <Alert severity="error" data-testid="settings-invalid">
          Check these values: {invalidFields.join(', ')}
        </Alert>
      ) : (
        <ErrorAlert error={error} />
      )}
    </Stack>
  );
}

/** A timeout edited in whole seconds and kept in milliseconds. */
function SecondsField({ label, ms, max, onMs }: { label: string; ms: number; max: number; onMs(ms: number): void }) {
  return (
    <TextField
      size="small"
      type="number"
      label={label}
      value={Math.round(ms / 1000)}
      onChange={(e) => onMs(Math.round(Number(e.target.value) * 1000))}
      slotProps={{ htmlInput: { min: 1, max } }}
      sx={{ width: 170 }}
    />
  );
}

/** One titled section of the Settings tab. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }}>
      <Typography variant="subtitle1" component="h2" gutterBottom>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** A whole number setting (minutes, days, messages). */
function IntField({ label, value, min, max, helperText, onValue }: { label: string; value: number; min: number; max: number; helperText?: string; onValue(v: number): void }) {
  return (
    <TextField
      size="small"
      type="number"
      label={label}
      value={value}
      onChange={(e) => onValue(Math.round(Number(e.target.value)))}
      {...(helperText !== undefined && { helperText })}
      slotProps={{ htmlInput: { min, max } }}
      sx={{ width: 190 }}
    />
  );
}
