// One voicemail's player: the audio comes from main (voicemail:audio); the first play marks it read.
import { forwardRef, useCallback } from 'react';
import { api } from '../api.js';
import { AudioPlayer, type AudioPlayerHandle } from './AudioPlayer.js';

/** Props of {@link VoicemailPlayer}. */
export interface VoicemailPlayerProps {
  id: string;
  /** Who left it, for the position slider's label. */
  caller: string;
  /** Called once, the first time playback starts. */
  onPlayed(id: string): void;
}

/** Waveform, play/pause, skip, volume and speed for one voicemail. */
export const VoicemailPlayer = forwardRef<AudioPlayerHandle, VoicemailPlayerProps>(function VoicemailPlayer({ id, caller, onPlayed }, ref) {
  const load = useCallback((opId: string) => api().voicemailAudio({ id, opId }), [id]);
  const played = useCallback(() => onPlayed(id), [id, onPlayed]);
  return <AudioPlayer ref={ref} load={load} onPlayed={played} speedControl label={`Position in the voicemail from ${caller}`} />;
});
