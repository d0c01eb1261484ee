// Plays audio main prepared: WAV plus precomputed peaks (the renderer never decodes AMR). wavesurfer.js
// draws the waveform from those peaks and plays the WAV from the host's /media/audio/<id> route (HTTP
// Range, so seeking works), or from a blob: URL of the bytes when the host has no such route.
// Controls: play/pause, skip back/forward, the waveform as a keyboard slider, volume, and (for voicemail)
// the speed; speed and volume are remembered. The controls wrap onto a second line in a narrow window.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import WaveSurfer from 'wavesurfer.js';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Slider from '@mui/material/Slider';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { PlayableAudioValue } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/result.js';
import { useOperation } from '../hooks/useOperation.js';
import { formatDuration } from '../format.js';
import { loadSpeed, loadVolume, saveSpeed, saveVolume, SPEEDS, type Speed } from '../player-prefs.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Seconds the skip buttons and the arrow keys on the waveform move. */
export const SKIP_SECONDS = 5;

/** Props of {@link AudioPlayer}. */
export interface AudioPlayerProps {
  /** Asks main for the audio (voicemail:audio, greeting:audio); called again when it changes. */
  load(opId: string): Promise<Result<PlayableAudioValue>>;
  /** Called once, the first time playback starts. */
  onPlayed?(): void;
  height?: number;
  /** Offer the speed chooser (voicemail); a greeting preview always plays at 1x, as callers hear it. */
  speedControl?: boolean;
  /** Names the waveform slider for screen readers ("Position in voicemail from ..."). */
  label?: string;
}

/** What a parent (the voicemail tab's shortcuts) can ask of the player. */
export interface AudioPlayerHandle {
  togglePlay(): void;
}

function clamp(t: number, max: number): number {
  return Math.min(max, Math.max(0, t));
}

/** Waveform plus the controls above. */
export const AudioPlayer = forwardRef<AudioPlayerHandle, AudioPlayerProps>(function AudioPlayer({ load, onPlayed, height = 72, speedControl = false, label = 'Playback position' }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const op = useOperation();
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState<Speed>(() => (speedControl ? loadSpeed() : 1));
  const [volume, setVolume] = useState(loadVolume);
  const { run, cancel } = op;
  // Bumped by Retry: loads the audio again after a failure or a cancel.
  const [attempt, setAttempt] = useState(0);
  // Read by the wavesurfer set-up without making speed and volume re-create the player.
  const prefs = useRef({ speed, volume });
  prefs.current = { speed, volume };

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
      w.setPlaybackRate(prefs.current.speed, true);
      w.setVolume(prefs.current.volume);
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
  }, [load, run, onPlayed, height, attempt]);

  const togglePlay = useCallback(() => void ws.current?.playPause(), []);
  useImperativeHandle(ref, () => ({ togglePlay }), [togglePlay]);

  const seek = useCallback(
    (t: number) => {
      const w = ws.current;
      if (!w) return;
      const to = clamp(t, duration);
      w.setTime(to);
      setPosition(to);
    },
    [duration],
  );

  function onSliderKey(e: KeyboardEvent) {
    const step: Record<string, number> = { ArrowLeft: -SKIP_SECONDS, ArrowDown: -SKIP_SECONDS, ArrowRight: SKIP_SECONDS, ArrowUp: SKIP_SECONDS, PageDown: -duration / 10, PageUp: duration / 10 };
    if (e.key in step) seek(position + (step[e.key] ?? 0));
    else if (e.key === 'Home') seek(0);
    else if (e.key === 'End') seek(duration);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  const ready = op.state === 'done';
  return (
    <Box sx={{ p: 2 }} data-testid="audio-player">
      {op.state === 'running' && (
        // A download that hangs (a slow card, a stuck server) can be stopped.
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
          {op.progress?.totalBytes ? (
            <LinearProgress aria-label="Loading audio" variant="determinate" value={Math.min(100, ((op.progress.transferredBytes ?? 0) / op.progress.totalBytes) * 100)} sx={{ flex: 1 }} />
          ) : (
            <LinearProgress aria-label="Loading audio" sx={{ flex: 1 }} />
          )}
          <Button size="small" onClick={cancel} data-testid="audio-cancel">
            Cancel
          </Button>
        </Box>
      )}
      <ErrorAlert error={op.error} />
      {(op.state === 'failed' || op.state === 'cancelled') && (
        <Button size="small" variant="outlined" onClick={() => setAttempt((n) => n + 1)} sx={{ mb: 1 }} data-testid="audio-retry">
          {op.state === 'cancelled' ? 'Load again' : 'Retry'}
        </Button>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, minWidth: 0 }}>
        <IconButton
          aria-label={playing ? 'Pause' : 'Play'}
          data-testid="play-button"
          disabled={!ready}
          onClick={togglePlay}
          // While the audio loads the button stays visible as a grey disc (MUI's default disabled look
          // drops the background, leaving a white-on-white button nobody can find).
          sx={{ flex: 'none', bgcolor: 'primary.main', color: 'primary.contrastText', '&:hover': { bgcolor: 'primary.dark' }, '&.Mui-disabled': { bgcolor: 'action.disabledBackground', color: 'action.disabled' }, width: 48, height: 48 }}
        >
          <span aria-hidden style={{ fontSize: 20, lineHeight: 1 }}>
            {playing ? '❚❚' : '▶'}
          </span>
        </IconButton>
        {/* The waveform is the position slider: focusable, arrow keys seek, a screen reader hears the time. */}
        <Box
          role="slider"
          tabIndex={ready ? 0 : -1}
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={Math.round(duration)}
          aria-valuenow={Math.round(position)}
          aria-valuetext={`${formatDuration(position)} of ${formatDuration(duration)}`}
          aria-disabled={!ready}
          onKeyDown={onSliderKey}
          data-testid="waveform-slider"
          data-position={position.toFixed(2)}
          sx={{ flex: 1, minWidth: 0, borderRadius: 1, outline: 'none', '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: 2 } }}
        >
          <Box ref={container} sx={{ minHeight: height }} data-testid="waveform" />
        </Box>
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1, rowGap: 1, mt: 1 }} data-testid="player-controls">
        <Tooltip title={`Back ${SKIP_SECONDS} s`}>
          <span>
            <IconButton size="small" aria-label={`Skip back ${SKIP_SECONDS} seconds`} disabled={!ready} onClick={() => seek(position - SKIP_SECONDS)} data-testid="skip-back">
              <span aria-hidden style={{ fontSize: 14, lineHeight: 1 }}>
                ↺{SKIP_SECONDS}
              </span>
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title={`Forward ${SKIP_SECONDS} s`}>
          <span>
            <IconButton size="small" aria-label={`Skip forward ${SKIP_SECONDS} seconds`} disabled={!ready} onClick={() => seek(position + SKIP_SECONDS)} data-testid="skip-forward">
              <span aria-hidden style={{ fontSize: 14, lineHeight: 1 }}>
                {SKIP_SECONDS}↻
              </span>
            </IconButton>
          </span>
        </Tooltip>
        <Typography variant="body2" color="text.secondary" sx={{ minWidth: 84 }} data-testid="player-time">
          {formatDuration(position)} / {formatDuration(duration)}
        </Typography>
        {/* The slider's thumb (and its invisible 42 px touch target) reaches past the rail's end: the
            padding keeps it inside the row, so the row never scrolls sideways. */}
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, width: 164, flex: 'none', pl: 1, pr: 2.75 }}>
          <Typography variant="body2" color="text.secondary" aria-hidden>
            Vol
          </Typography>
          <Slider
            size="small"
            sx={{ flex: 1, minWidth: 0 }}
            value={Math.round(volume * 100)}
            min={0}
            max={100}
            onChange={(_e, v) => {
              const next = (Array.isArray(v) ? (v[0] ?? 100) : v) / 100;
              setVolume(next);
              saveVolume(next);
              ws.current?.setVolume(next);
            }}
            slotProps={{ input: { 'aria-label': 'Volume' } }}
            getAriaValueText={(v) => `${v}%`}
            data-testid="volume"
          />
        </Box>
        {speedControl && (
          <TextField
            select
            size="small"
            label="Speed"
            value={speed}
            onChange={(e) => {
              const next = SPEEDS.find((s) => String(s) === String(e.target.value)) ?? 1;
              setSpeed(next);
              saveSpeed(next);
              ws.current?.setPlaybackRate(next, true);
            }}
            sx={{ width: 96, flex: 'none' }}
            slotProps={{ htmlInput: { 'data-testid': 'speed' } }}
          >
            {SPEEDS.map((s) => (
              <MenuItem key={s} value={s} data-testid={`speed-${s}`}>
                {s}×
              </MenuItem>
            ))}
          </TextField>
        )}
      </Box>
    </Box>
  );
});
