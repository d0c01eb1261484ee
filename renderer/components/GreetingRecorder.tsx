// Records a new greeting (or takes an audio file); main encodes it to AMR-NB. "Preview" plays the encoded
// greeting decoded back, exactly as callers will hear it (issue 5), and "Upload" then sends those very AMR
// bytes; without a preview, Upload sends the recording and main encodes it the same way. While recording:
// a level meter, a countdown in the last 10 s and a note when the 100 s limit cut the take. A new take
// asks before the previous one is discarded, and clears the previous take's messages. Silence trimming
// can be turned off (it would eat music and tones), and the greeting gets a subject of the user's.
import { useCallback, useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog.js';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { GreetingTypeSchema, type GreetingType } from '../../shared/domain/mstore.js';
import type { GreetingPreviewValue } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/result.js';
import { api } from '../api.js';
import { useOperation } from '../hooks/useOperation.js';
import { COUNTDOWN_SECONDS, MAX_GREETING_SECONDS, useRecorder, type Recording } from '../hooks/useRecorder.js';
import { formatDuration } from '../format.js';
import { AudioPlayer } from './AudioPlayer.js';
import { ErrorAlert } from './ErrorAlert.js';
import { FilePickButton } from './FilePickButton.js';

/** The subject as one line of at most 120 characters (control characters dropped, as main requires). */
function oneLine(text: string): string {
  return Array.from(text)
    .filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f')
    .join('')
    .slice(0, 120);
}

/** Props of {@link GreetingRecorder}. */
export interface GreetingRecorderProps {
  enabled: boolean;
  onUploaded(): void;
}

/** Record, preview, upload. */
export function GreetingRecorder({ enabled, onUploaded }: GreetingRecorderProps) {
  const recorder = useRecorder();
  const upload = useOperation();
  const [activate, setActivate] = useState(true);
  const [type, setType] = useState<GreetingType>('normal-greeting');
  const [trimSilence, setTrimSilence] = useState(true);
  const [subject, setSubject] = useState('');
  // Each take (recording or file) has a number; an upload's outcome is shown only for its own take.
  const [take, setTake] = useState(0);
  const [outcomeOf, setOutcomeOf] = useState<number | null>(null);
  const [askDiscard, setAskDiscard] = useState<null | (() => void)>(null);
  // The recording being previewed, and the encoded greeting main returned for it.
  const [previewOf, setPreviewOf] = useState<Recording | null>(null);
  const [encoded, setEncoded] = useState<{ of: Recording; value: GreetingPreviewValue } | null>(null);
  const recording = recorder.recording;
  const previewing = recording !== null && previewOf === recording;
  const subjectSent = subject.trim() === '' ? {} : { subject: subject.trim() };
  const ready = encoded !== null && encoded.of === recording ? encoded.value : null;
  const loadPreview = useCallback(
    async (opId: string): Promise<Result<GreetingPreviewValue>> => {
      if (!previewOf) return { ok: false, error: { code: 'internal', message: 'Nothing to preview', retryable: false } };
      const res = await api().greetingPreview({ audio: previewOf.bytes, mimeType: previewOf.mimeType, trimSilence, opId });
      if (res.ok) setEncoded({ of: previewOf, value: res.value });
      return res;
    },
    [previewOf, trimSilence],
  );

  /** Starts a new take (after asking, when there is one not uploaded yet). */
  function newTake(begin: () => void) {
    const go = () => {
      setPreviewOf(null);
      setEncoded(null);
      setOutcomeOf(null);
      setTake((t) => t + 1);
      begin();
    };
    if (recorder.recording) setAskDiscard(() => go);
    else go();
  }

  async function send() {
    const r = recording;
    if (!r) return;
    // What was previewed is uploaded byte for byte; else main encodes the recording the same way.
    const amr = ready?.amr;
    const res = await upload.run((opId) => api().greetingUpload(amr ? { type, amr, activate, ...subjectSent, opId } : { type, audio: r.bytes, mimeType: r.mimeType, trimSilence, activate, ...subjectSent, opId }));
    setOutcomeOf(take);
    if (res.ok) {
      setPreviewOf(null);
      setEncoded(null);
      recorder.discard();
      onUploaded();
    }
  }

  const phase = upload.progress?.phase;
  const remaining = Math.max(0, Math.ceil(MAX_GREETING_SECONDS - recorder.elapsed));
  const mine = outcomeOf === take;
  const length = recording?.seconds ?? null;
  return (
    <Box data-testid="greeting-recorder">
      <Typography variant="subtitle1" gutterBottom>
        Record a new greeting
      </Typography>
      {recorder.error && <Alert severity="warning">{recorder.error}</Alert>}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        {recorder.state === 'recording' ? (
          <Button variant="contained" color="error" onClick={recorder.stop} data-testid="record-stop">
            Stop
          </Button>
        ) : (
          <Button variant="contained" onClick={() => newTake(() => void recorder.start())} disabled={!enabled || upload.state === 'running'} data-testid="record-start">
            {recording ? 'Record again' : 'Record'}
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" data-testid="record-elapsed">
          {recorder.state === 'stopped' && recording ? (length === null ? 'Audio file' : formatDuration(length)) : formatDuration(recorder.elapsed)} / {formatDuration(MAX_GREETING_SECONDS)}
        </Typography>
        <FilePickButton disabled={!enabled || recorder.state === 'recording' || upload.state === 'running'} accept="audio/*,.amr,.m4a,.opus" testId="record-file" onFile={(f) => newTake(() => void recorder.load(f))}>
          Use an audio file…
        </FilePickButton>
      </Stack>
      {recorder.state === 'recording' && (
        <Stack spacing={0.5} sx={{ mt: 1.5, maxWidth: 420 }}>
          <LinearProgress variant="determinate" value={Math.round(recorder.level * 100)} aria-label="Microphone level" data-testid="mic-level" data-level={recorder.level.toFixed(3)} color={recorder.level > 0.95 ? 'error' : 'primary'} sx={{ height: 8, borderRadius: 1 }} />
          {remaining <= COUNTDOWN_SECONDS && (
            <Typography variant="body2" color="warning.main" role="status" data-testid="record-countdown">
              Stops in {remaining} s (the carrier allows {MAX_GREETING_SECONDS} s)
            </Typography>
          )}
        </Stack>
      )}
      {recorder.cut && recording && (
        <Alert severity="info" sx={{ mt: 1 }} data-testid="record-cut">
          The recording stopped at the {MAX_GREETING_SECONDS}-second limit; everything up to there is kept.
        </Alert>
      )}
      {recording?.name != null && (
        <Typography variant="body2" sx={{ mt: 1, overflowWrap: 'anywhere' }} data-testid="record-file-info">
          {recording.name} · {length !== null ? formatDuration(length) : 'length shown in the preview'}
        </Typography>
      )}
      {recording && (
        <Stack spacing={1} sx={{ mt: 2 }}>
          {previewing ? (
            <Box data-testid="record-preview-player">
              <Typography variant="caption" color="text.secondary" data-testid="record-preview-info">
                {ready ? `As callers will hear it (AMR-NB 12.2 kbit/s, ${formatDuration(ready.encodedDurationSec)}${ready.truncated ? ', cut to the 100 s limit' : ''})` : 'Encoding the greeting…'}
              </Typography>
              <AudioPlayer load={loadPreview} height={48} />
            </Box>
          ) : (
            <Box>
              <Button variant="outlined" onClick={() => setPreviewOf(recording)} disabled={upload.state === 'running'} data-testid="record-preview">
                Preview
              </Button>
            </Box>
          )}
          <TextField select size="small" label="Use as" value={type} onChange={(e) => setType(GreetingTypeSchema.parse(e.target.value))} sx={{ maxWidth: 320 }}>
            <MenuItem value="normal-greeting">Greeting (callers hear it before the tone)</MenuItem>
            <MenuItem value="voice-signature">Name (used in the standard greeting)</MenuItem>
          </TextField>
          <TextField size="small" label="Subject" placeholder="Greeting recorded in VVM Desk" value={subject} onChange={(e) => setSubject(oneLine(e.target.value))} helperText="Shown in the greeting list" sx={{ maxWidth: 420 }} data-testid="record-subject" />
          <FormControlLabel
            control={
              <Checkbox
                checked={trimSilence}
                onChange={(e) => {
                  setTrimSilence(e.target.checked);
                  // The preview was encoded with the other choice.
                  setPreviewOf(null);
                  setEncoded(null);
                }}
              />
            }
            label="Trim silence at the start and end (turn off for music or tones)"
          />
          <FormControlLabel control={<Checkbox checked={activate} onChange={(e) => setActivate(e.target.checked)} />} label="Make it the active greeting" />
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={() => void send()} disabled={upload.state === 'running'} data-testid="record-upload">
              Upload
            </Button>
            <Button
              onClick={() => {
                setPreviewOf(null);
                setEncoded(null);
                recorder.discard();
              }}
              disabled={upload.state === 'running'}
            >
              Discard
            </Button>
            {upload.state === 'running' && <Button onClick={upload.cancel}>Cancel</Button>}
          </Stack>
        </Stack>
      )}
      {upload.state === 'running' && (
        <Box sx={{ mt: 1 }}>
          <LinearProgress aria-label="Uploading greeting" />
          <Typography variant="caption">{phase === 'encode' ? 'Encoding…' : 'Uploading…'}</Typography>
        </Box>
      )}
      {mine && upload.state === 'done' && (
        <Alert severity="success" sx={{ mt: 1 }} data-testid="upload-done">
          Greeting uploaded.
        </Alert>
      )}
      {mine && <ErrorAlert error={upload.error} />}
      <ConfirmDialog
        open={askDiscard !== null}
        title="Discard this take?"
        confirmLabel="Discard and start again"
        danger
        onCancel={() => setAskDiscard(null)}
        onConfirm={() => {
          const go = askDiscard;
          setAskDiscard(null);
          go?.();
        }}
      >
        The greeting you recorded or chose has not been uploaded; it is lost if you start again.
      </ConfirmDialog>
    </Box>
  );
}
