// The Diagnostics view: the chain from the smart-card service to a signed-in profile read, checked step
// by step with live status (diagnostics:run's progress), the fix for the step that fails, the recent
// requests (method, address, status: nothing secret is kept), "Copy report" and the app's log.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { DIAGNOSTIC_STEPS } from '../../shared/diagnostics.js';
import type { DiagnosticsReportValue, DiagnosticStepValue } from '../../shared/ipc/contract.js';
import { api } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { describeError } from '../messages.js';
import { ErrorAlert } from './ErrorAlert.js';

type Live = 'waiting' | 'running' | 'ok' | 'failed' | 'skipped';

const MARK: Record<Live, string> = { waiting: '·', running: '…', ok: '✓', failed: '✗', skipped: '–' };
const STATE_TEXT: Record<Live, string> = { waiting: 'not run', running: 'checking', ok: 'passed', failed: 'failed', skipped: 'skipped' };

/** The report as plain text: steps, the failing step's fix, requests. Built from the report only (no secrets in it). */
export function reportText(r: DiagnosticsReportValue, now: Date = new Date()): string {
  const lines = [`VVM Desk diagnostics, ${now.toISOString()}`, r.ok ? 'Result: every step passed' : 'Result: a step failed', ''];
  for (const s of r.steps) {
    lines.push(`${STATE_TEXT[s.status].padEnd(7)} ${s.title}${s.detail ? `: ${s.detail}` : ''}`);
    if (s.error) {
      const m = describeError(s.error);
      lines.push(`        ${s.error.code}${m.hint ? ` — ${m.hint}` : ''}`);
    }
  }
  lines.push('', `Recent requests (${r.requests.length}):`);
  for (const q of r.requests) lines.push(`${q.at} ${q.method} ${q.url} -> ${q.status ?? q.error ?? 'no answer'} (${Math.round(q.ms)} ms)`);
  return lines.join('\n') + '\n';
}

function color(s: Live): string {
  return s === 'ok' ? 'success.main' : s === 'failed' ? 'error.main' : 'text.secondary';
}

/** The Diagnostics tab. */
export function DiagnosticsPanel() {
  const run = useOperation();
  const [report, setReport] = useState<DiagnosticsReportValue | null>(null);
  const [live, setLive] = useState<Record<string, Live>>({});
  const [copied, setCopied] = useState<boolean | null>(null);
  const [logShown, setLogShown] = useState<boolean | null>(null);

  async function start() {
    setReport(null);
    setCopied(null);
    setLive({});
    const res = await run.run((opId) => {
      // Live status: progress phases "<step>:running|ok|failed" as main reaches each step.
      const off = api().onProgress(opId, (p) => {
        const [id, state] = p.phase.split(':');
        if (id && (state === 'running' || state === 'ok' || state === 'failed')) setLive((l) => ({ ...l, [id]: state }));
      });
      return api()
        .diagnosticsRun({ opId })
        .finally(off);
    });
    if (res.ok) setReport(res.value);
  }

  async function copy() {
    if (!report) return;
    try {
      await navigator.clipboard.writeText(reportText(report));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  const steps: (DiagnosticStepValue | { id: string; title: string; status: Live; detail: string; error?: undefined })[] = report?.steps ?? DIAGNOSTIC_STEPS.map((s) => ({ id: s.id, title: s.title, status: live[s.id] ?? 'waiting', detail: '' }));
  const failed = report?.steps.find((s) => s.status === 'failed');
  const running = run.state === 'running';
  return (
    <Stack spacing={2} sx={{ maxWidth: 900, minWidth: 0 }} data-testid="diagnostics">
      <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }}>
        <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          <Typography variant="subtitle1" component="h2" sx={{ flexGrow: 1 }}>
            From the SIM to your voicemail, step by step
          </Typography>
          <Button variant="contained" onClick={() => void start()} disabled={running} data-testid="diagnostics-run">
            {report ? 'Check again' : 'Run the checks'}
          </Button>
          {running && <Button onClick={run.cancel}>Cancel</Button>}
          <Button onClick={() => void copy()} disabled={!report} data-testid="diagnostics-copy">
            Copy report
          </Button>
        </Stack>
        {running && <LinearProgress aria-label="Checking" />}
        <List dense data-testid="diagnostics-steps">
          {steps.map((s) => (
            <ListItem key={s.id} data-testid="diagnostics-step" data-step={s.id} data-status={s.status} sx={{ alignItems: 'flex-start' }}>
              <Box component="span" aria-hidden sx={{ width: 24, flexShrink: 0, fontWeight: 700, color: color(s.status) }}>
                {MARK[s.status]}
              </Box>
              <ListItemText
                primary={
                  <>
                    {s.title} <Box component="span" sx={{ color: 'text.secondary' }}>({STATE_TEXT[s.status]})</Box>
                  </>
                }
                secondary={s.detail || undefined}
                slotProps={{ secondary: { sx: { overflowWrap: 'anywhere' } } }}
              />
            </ListItem>
          ))}
        </List>
        {report?.ok && (
          <Alert severity="success" data-testid="diagnostics-ok">
            Every step passed: the SIM signs in and the voicemail server answers.
          </Alert>
        )}
        {failed?.error && (
          <Box data-testid="diagnostics-fix">
            <Typography variant="body2" sx={{ mt: 1 }}>
              What to do about “{failed.title}”:
            </Typography>
            <ErrorAlert error={failed.error} />
          </Box>
        )}
        <ErrorAlert error={run.error} />
        {copied === true && <Alert severity="success">The report is on the clipboard. It holds no PIN, key or password.</Alert>}
        {copied === false && <Alert severity="warning">The clipboard is not available here.</Alert>}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }}>
        <Typography variant="subtitle1" component="h2" gutterBottom>
          Recent requests
        </Typography>
        {report && report.requests.length > 0 ? (
          <Box component="ol" data-testid="request-log" sx={{ m: 0, pl: 0, listStyle: 'none', typography: 'body2', fontFamily: 'monospace', maxHeight: 260, overflowY: 'auto', overflowX: 'hidden' }}>
            {report.requests.map((q, i) => (
              <Box component="li" key={i} sx={{ overflowWrap: 'anywhere', py: 0.25 }}>
                {q.method} {q.url} → {q.status ?? q.error ?? 'no answer'} ({Math.round(q.ms)} ms)
              </Box>
            ))}
          </Box>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {report ? 'No requests yet.' : 'Run the checks to see the requests the app made. Only the method, the address and the answer are kept: never a PIN, key or password.'}
          </Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }}>
        <Typography variant="subtitle1" component="h2" gutterBottom>
          Log
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Unexpected errors are written to vvm-desk.log in the app’s data folder, in the logs folder.
        </Typography>
        <Button
          size="small"
          sx={{ mt: 1 }}
          data-testid="log-reveal"
          onClick={() =>
            void api()
              .logReveal({})
              .then((r) => setLogShown(r.ok && r.value.shown))
          }
        >
          Show the log file
        </Button>
        {logShown === false && <Alert severity="info">This window cannot open the file manager; the log is in the data folder under logs.</Alert>}
      </Paper>
    </Stack>
  );
}
