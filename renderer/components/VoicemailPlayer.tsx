// One voicemail's player: the audio comes from main (voicemail:audio); the first play marks it read.
import { useCallback } from 'react';
import { api } from '../api.js';
import { AudioPlayer } from './AudioPlayer.js';

/** Props of {@link VoicemailPlayer}. */
export interface VoicemailPlayerProps {
  id: string;
  /** Called once, the first time playback starts. */
  onPlayed(id: string): void;
}

/** Waveform plus play/pause for one voicemail. */
export function VoicemailPlayer({ id, onPlayed }: VoicemailPlayerProps) {
  const load = useCallback((opId: string) => api().voicemailAudio({ id, opId }), [id]);
  const played = useCallback(() => onPlayed(id), [id, onPlayed]);
  return <AudioPlayer load={load} onPlayed={played} />;
}
