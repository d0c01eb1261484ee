// Plays audio main prepared: WAV plus precomputed peaks (the renderer never decodes AMR). wavesurfer.js
// draws the waveform from those peaks and plays the WAV from the host's /media/audio/<id> route (HTTP
// Range, so seeking works), or from a blob: URL of the bytes when the host has no such route.
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { PlayableAudioValue } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/result.js';
import { useOperation } from '../hooks/useOperation.js';
import { formatDuration } from '../format.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Props of {@link AudioPlayer}. */
export interface AudioPlayerProps {
  /** Asks main for the audio (voicemail:audio, greeting:audio); called again when it changes. */
  load(opId: string): Promise<Result<PlayableAudioValue>>;
  /** Called once, the first time playback starts. */
  onPlayed?(): void;
  height?: number;
}

/** Waveform plus play/pause. */
export function AudioPlayer({ load, onPlayed, height = 72 }: AudioPlayerProps) {
  const container = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const op = useOperation();
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const { run } = op;

  useEffect(() => {
    let url: string | null = null;
    let disposed = false;
    let played = false;
    void run(load).then((res) => {
      if (disposed || !res.ok || !container.current) return;
      // Prefer the host's Range-capable route (seeking without holding a second copy); else a blob: URL.
      let src = res.value.url;
      if (src === null) {
        url = URL.createObjectURL(new Blob([new Uint8Array(res.value.wav)], { type: 'audio/wav' }));
        src = url;
      }
      setDuration(res.value.durationSec);
      const w = WaveSurfer.create({
        container: container.current,
        url: src,
        peaks: [res.value.peaks],
        duration: res.value.durationSec,
        height,
        waveColor: '#90a4ae',
        progressColor: '#e20074',
        cursorColor: '#37474f',
        barWidth: 2,
        barGap: 1,
        barRadius: 2,
        normalize: true,
      });
      w.on('play', () => {
        setPlaying(true);
        if (!played) {
          played = true;
          onPlayed?.();
        }
      });
      w.on('pause', () => setPlaying(false));
      w.on('finish', () => setPlaying(false));
      w.on('timeupdate', (t) => setPosition(t));
      ws.current = w;
    });
    return () => {
      disposed = true;
      ws.current?.destroy();
      ws.current = null;
      if (url) URL.revokeObjectURL(url);
    };
  }, [load, run, onPlayed, height]);

  return (
    <Box sx={{ p: 2 }} data-testid="audio-player">
      {op.state === 'running' &&
        (op.progress?.totalBytes ? (
          <LinearProgress aria-label="Loading audio" variant="determinate" value={Math.min(100, ((op.progress.transferredBytes ?? 0) / op.progress.totalBytes) * 100)} sx={{ mb: 1 }} />
        ) : (
          <LinearProgress aria-label="Loading audio" sx={{ mb: 1 }} />
        ))}
      <ErrorAlert error={op.error} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <IconButton
          aria-label={playing ? 'Pause' : 'Play'}
          data-testid="play-button"
          disabled={op.state !== 'done'}
          onClick={() => void ws.current?.playPause()}
          // While the audio loads the button stays visible as a grey disc (MUI's default disabled look
          // drops the background, leaving a white-on-white button nobody can find).
          sx={{ bgcolor: 'primary.main', color: 'primary.contrastText', '&:hover': { bgcolor: 'primary.dark' }, '&.Mui-disabled': { bgcolor: 'action.disabledBackground', color: 'action.disabled' }, width: 48, height: 48 }}
        >
          <span aria-hidden style={{ fontSize: 20, lineHeight: 1 }}>
            {playing ? '❚❚' : '▶'}
          </span>
        </IconButton>
        <Box ref={container} sx={{ flex: 1, minHeight: height }} data-testid="waveform" />
        <Typography variant="body2" color="text.secondary" sx={{ minWidth: 80, textAlign: 'right' }}>
          {formatDuration(position)} / {formatDuration(duration)}
        </Typography>
      </Box>
    </Box>
  );
}
