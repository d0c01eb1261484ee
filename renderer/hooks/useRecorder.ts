// Records from the microphone with MediaRecorder. Echo cancellation, noise suppression and automatic
// gain are off: a greeting should sound like the speaker, not like a call. The recording stays in the
// renderer only until it is handed to main (which encodes it to AMR-NB).
import { useCallback, useEffect, useRef, useState } from 'react';

/** A finished recording. */
export interface Recording {
  bytes: Uint8Array;
  mimeType: string;
  /** Length of a microphone recording; null for an imported file (main measures it when encoding). */
  seconds: number | null;
}

/** What {@link useRecorder} returns. */
export interface Recorder {
  state: 'idle' | 'recording' | 'stopped';
  elapsed: number;
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

/** See {@link Recorder}. */
export function useRecorder(): Recorder {
  const [state, setState] = useState<Recorder['state']>('idle');
  const [elapsed, setElapsed] = useState(0);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rec = useRef<MediaRecorder | null>(null);
  const timer = useRef<number | null>(null);
  const startedAt = useRef(0);

  const release = useCallback(() => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    rec.current?.stream.getTracks().forEach((t) => t.stop());
  }, []);

  const stop = useCallback(() => {
    if (rec.current?.state === 'recording') rec.current.stop();
  }, []);

  const start = useCallback(async () => {
    setError(null);
    setRecording(null);
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
      const seconds = (performance.now() - startedAt.current) / 1000;
      release();
      const blob = new Blob(chunks, { type: r.mimeType || 'audio/webm' });
      void blob.arrayBuffer().then((buf) => {
        setRecording({ bytes: new Uint8Array(buf), mimeType: blob.type, seconds });
        setState('stopped');
      });
    };
    rec.current = r;
    startedAt.current = performance.now();
    setElapsed(0);
    r.start(250);
    setState('recording');
    timer.current = window.setInterval(() => {
      const s = (performance.now() - startedAt.current) / 1000;
      setElapsed(s);
      if (s >= MAX_GREETING_SECONDS) stop();
    }, 200);
  }, [release, stop]);

  const load = useCallback(async (file: File) => {
    setError(null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length === 0) {
      setError('That file is empty.');
      return;
    }
    setRecording({ bytes, mimeType: file.type || 'application/octet-stream', seconds: null });
    setState('stopped');
  }, []);

  const discard = useCallback(() => {
    setRecording(null);
    setState('idle');
    setElapsed(0);
  }, []);

  useEffect(
    () => () => {
      if (rec.current?.state === 'recording') rec.current.stop();
      release();
    },
    [release],
  );

  return { state, elapsed, recording, error, start, stop, load, discard };
}
