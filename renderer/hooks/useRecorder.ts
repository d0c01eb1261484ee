// Records from the microphone with MediaRecorder. Echo cancellation, noise suppression and automatic
// gain are off: a greeting should sound like the speaker, not like a call. While recording it measures
// the microphone level (an AnalyserNode) for the meter, and stops by itself at the carrier's 100 s limit,
// saying so. An imported file keeps its name and, where the browser can decode it, its duration. The
// recording stays in the renderer only until it is handed to main (which encodes it to AMR-NB).
import { useCallback, useEffect, useRef, useState } from 'react';

/** A finished recording or an imported file. */
export interface Recording {
  bytes: Uint8Array;
  mimeType: string;
  /** Length in seconds: measured while recording, or decoded from a file; null when unknown (e.g. AMR). */
  seconds: number | null;
  /** The imported file's name; null for a microphone recording. */
  name: string | null;
}

/** What {@link useRecorder} returns. */
export interface Recorder {
  state: 'idle' | 'recording' | 'stopped';
  elapsed: number;
  /** Microphone level while recording, 0 (silence) to 1 (full scale), updated about ten times a second. */
  level: number;
  /** True when the last recording was stopped by the 100 s limit rather than by the user. */
  cut: boolean;
  recording: Recording | null;
  error: string | null;
  start(): Promise<void>;
  stop(): void;
  /** Uses an audio file instead of the microphone (any format ffmpeg reads; main converts it). */
  load(file: File): Promise<void>;
  discard(): void;
}

/** The carrier's limit for a custom greeting (TCL VVM configuration: 100 s). */
export const MAX_GREETING_SECONDS = 100;
/** The countdown shows in the last seconds before the limit. */
export const COUNTDOWN_SECONDS = 10;

const TICK_MS = 100;

/** RMS of the analyser's current frame, scaled so speech moves the meter (x3, capped at 1). */
function levelOf(analyser: AnalyserNode, buf: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(buf);
  let sum = 0;
  for (const v of buf) sum += v * v;
  return Math.min(1, Math.sqrt(sum / buf.length) * 3);
}

/** The duration of an audio file the browser can decode, else null (AMR, or no Web Audio). */
async function decodedSeconds(bytes: Uint8Array): Promise<number | null> {
  if (typeof AudioContext === 'undefined') return null;
  const ctx = new AudioContext();
  try {
    const copy = bytes.slice().buffer;
    const audio = await ctx.decodeAudioData(copy);
    return audio.duration;
  } catch {
    return null;
  } finally {
    void ctx.close().catch(() => {});
  }
}

/** See {@link Recorder}. */
export function useRecorder(): Recorder {
  const [state, setState] = useState<Recorder['state']>('idle');
  const [elapsed, setElapsed] = useState(0);
  const [level, setLevel] = useState(0);
  const [cut, setCut] = useState(false);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rec = useRef<MediaRecorder | null>(null);
  const timer = useRef<number | null>(null);
  const startedAt = useRef(0);
  const audio = useRef<AudioContext | null>(null);
  const cutRef = useRef(false);

  const release = useCallback(() => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    rec.current?.stream.getTracks().forEach((t) => t.stop());
    void audio.current?.close().catch(() => {});
    audio.current = null;
    setLevel(0);
  }, []);

  const stop = useCallback(() => {
    if (rec.current?.state === 'recording') rec.current.stop();
  }, []);

  const start = useCallback(async () => {
    setError(null);
    setRecording(null);
    setCut(false);
    cutRef.current = false;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
    } catch {
      setError('The microphone is not available. Check the system permission and that a microphone is connected.');
      return;
    }
    const r = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    r.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    r.onstop = () => {
      const seconds = Math.min(MAX_GREETING_SECONDS, (performance.now() - startedAt.current) / 1000);
      release();
      const blob = new Blob(chunks, { type: r.mimeType || 'audio/webm' });
      void blob.arrayBuffer().then((buf) => {
        setRecording({ bytes: new Uint8Array(buf), mimeType: blob.type, seconds, name: null });
        setCut(cutRef.current);
        setState('stopped');
      });
    };
    // The level meter: the same stream into an analyser (nothing is played back).
    let analyser: AnalyserNode | null = null;
    try {
      const ctx = new AudioContext();
      analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      audio.current = ctx;
    } catch {
      analyser = null; // no Web Audio: recording works without the meter
    }
    const frame = new Float32Array(new ArrayBuffer((analyser?.fftSize ?? 0) * 4));
    rec.current = r;
    startedAt.current = performance.now();
    setElapsed(0);
    r.start(250);
    setState('recording');
    timer.current = window.setInterval(() => {
      const s = (performance.now() - startedAt.current) / 1000;
      setElapsed(Math.min(s, MAX_GREETING_SECONDS));
      if (analyser) setLevel(levelOf(analyser, frame));
      if (s >= MAX_GREETING_SECONDS && !cutRef.current) {
        cutRef.current = true;
        stop();
      }
    }, TICK_MS);
  }, [release, stop]);

  const load = useCallback(async (file: File) => {
    setError(null);
    setCut(false);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length === 0) {
      setError(`${file.name} is empty.`);
      return;
    }
    setRecording({ bytes, mimeType: file.type || 'application/octet-stream', seconds: null, name: file.name });
    setState('stopped');
    const seconds = await decodedSeconds(bytes);
    if (seconds !== null) setRecording((r) => (r && r.bytes === bytes ? { ...r, seconds } : r));
  }, []);

  const discard = useCallback(() => {
    setRecording(null);
    setState('idle');
    setElapsed(0);
    setCut(false);
  }, []);

  useEffect(
    () => () => {
      if (rec.current?.state === 'recording') rec.current.stop();
      release();
    },
    [release],
  );

  return { state, elapsed, level, cut, recording, error, start, stop, load, discard };
}
