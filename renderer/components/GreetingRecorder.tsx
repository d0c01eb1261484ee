// Records a new greeting (or takes an audio file); main encodes it to AMR-NB. "Preview" plays the encoded
// greeting decoded back, exactly as callers will hear it (issue 5), and "Upload" then sends those very AMR
// bytes; without a preview, Upload sends the recording and main encodes it the same way.
import { useCallback, useState } from 'react';
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
import { MAX_GREETING_SECONDS, useRecorder, type Recording } from '../hooks/useRecorder.js';
import { formatDuration } from '../format.js';
import { AudioPlayer } from './AudioPlayer.js';
import { ErrorAlert } from './ErrorAlert.js';

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
  // The recording being previewed, and the encoded greeting main returned for it.
  const [previewOf, setPreviewOf] = useState<Recording | null>(null);
  const [encoded, setEncoded] = useState<{ of: Recording; value: GreetingPreviewValue } | null>(null);
  const recording = recorder.recording;
  const previewing = recording !== null && previewOf === recording;
  const ready = encoded !== null && encoded.of === recording ? encoded.value : null;
  const loadPreview = useCallback(
    async (opId: string): Promise<Result<GreetingPreviewValue>> => {
      if (!previewOf) return { ok: false, error: { code: 'internal', message: 'Nothing to preview', retryable: false } };
      const res = await api().greetingPreview({ audio: previewOf.bytes, mimeType: previewOf.mimeType, opId });
      if (res.ok) setEncoded({ of: previewOf, value: res.value });
      return res;
    },
    [previewOf],
  );

  async function send() {
    const r = recording;
    if (!r) return;
    // What was previewed is uploaded byte for byte; else main encodes the recording the same way.
    const amr = ready?.amr;
    const res = await upload.run((opId) => api().greetingUpload(amr ? { type, amr, activate, opId } : { type, audio: r.bytes, mimeType: r.mimeType, activate, opId }));
    if (res.ok) {
      setPreviewOf(null);
      setEncoded(null);
      recorder.discard();
      onUploaded();
    }
  }

  const phase = upload.progress?.phase;
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
          <Button variant="contained" onClick={() => void recorder.start()} disabled={!enabled || upload.state === 'running'} data-testid="record-start">
            Record
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" data-testid="record-elapsed">
          {recorder.state === 'stopped' && recorder.recording ? (recorder.recording.seconds === null ? 'Audio file' : formatDuration(recorder.recording.seconds)) : formatDuration(recorder.elapsed)} / {formatDuration(MAX_GREETING_SECONDS)}
        </Typography>
        <Button component="label" disabled={!enabled || recorder.state === 'recording' || upload.state === 'running'}>
          Use an audio file…
          <input
            hidden
            type="file"
            accept="audio/*,.amr,.m4a,.opus"
            data-testid="record-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void recorder.load(f);
            }}
          />
        </Button>
      </Stack>
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
      {upload.state === 'done' && (
        <Alert severity="success" sx={{ mt: 1 }} data-testid="upload-done">
          Greeting uploaded.
        </Alert>
      )}
      <ErrorAlert error={upload.error} />
    </Box>
  );
}
