import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GreetingRecorder } from '../../../renderer/components/GreetingRecorder.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

// jsdom has no canvas or media element playback: record what the player hands wavesurfer.js instead.
const waveSurfers = vi.hoisted(() => [] as { url: string; peaks: number[][]; duration: number }[]);
vi.mock('wavesurfer.js', () => ({
  default: {
    create: (o: { url: string; peaks: number[][]; duration: number }) => {
      waveSurfers.push({ url: o.url, peaks: o.peaks, duration: o.duration });
      return { on: () => {}, destroy: () => {}, playPause: () => {}, setTime: () => {}, setPlaybackRate: () => {}, setVolume: () => {} };
    },
  },
}));

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
  // jsdom has no object URLs; the preview only needs a string.
  URL.createObjectURL = vi.fn(() => 'blob:preview');
  URL.revokeObjectURL = vi.fn();
  // jsdom's Blob lacks arrayBuffer() (every browser has it); read it through jsdom's FileReader.
  if (typeof Blob.prototype.arrayBuffer !== 'function') {
    Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob) {
      return new Promise<ArrayBuffer>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => (reader.result instanceof ArrayBuffer ? resolve(reader.result) : reject(new Error('not an ArrayBuffer')));
        reader.onerror = () => reject(reader.error);
        reader.readAsArrayBuffer(this);
      });
    };
  }
});
afterEach(cleanup);

describe('GreetingRecorder', () => {
  it('sends an imported audio file to main as bytes with its type, and reports success', async () => {
    const onUploaded = vi.fn();
    render(<GreetingRecorder enabled onUploaded={onUploaded} />);
    const file = new File([new Uint8Array([1, 2, 3, 4, 5])], 'hello.mp3', { type: 'audio/mpeg' });
    fireEvent.change(screen.getByTestId('record-file'), { target: { files: [file] } });
    await screen.findByTestId('record-preview');
    expect(screen.getByTestId('record-elapsed').textContent).toContain('Audio file');
    fireEvent.click(screen.getByTestId('record-upload'));
    await screen.findByTestId('upload-done');
    const call = fake.calls.find((c) => c.method === 'greetingUpload');
    const req = call?.req as { type: string; audio: Uint8Array; mimeType: string; activate: boolean };
    expect(req.type).toBe('normal-greeting');
    expect(Array.from(req.audio)).toEqual([1, 2, 3, 4, 5]);
    expect(req.mimeType).toBe('audio/mpeg');
    expect(req.activate).toBe(true);
    expect(onUploaded).toHaveBeenCalled();
  });

  it("shows main's error when the upload fails, and keeps the recording", async () => {
    fake.answer('greetingUpload', async () => ({ ok: false, error: { code: 'audio.tooLong', message: 'The greeting is longer than 100 s', retryable: false } }));
    render(<GreetingRecorder enabled onUploaded={() => {}} />);
    fireEvent.change(screen.getByTestId('record-file'), { target: { files: [new File([new Uint8Array([9])], 'x.wav', { type: 'audio/wav' })] } });
    fireEvent.click(await screen.findByTestId('record-upload'));
    await waitFor(() => expect(screen.getByText(/longer than the 100 seconds the carrier allows/)).toBeTruthy());
    expect(screen.getByTestId('record-preview')).toBeTruthy();
  });

  it('previews the ENCODED greeting with its waveform, then uploads exactly the previewed AMR', async () => {
    waveSurfers.length = 0;
    const amr = new Uint8Array([0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a, 0x3c, 7, 7, 7]);
    fake.answer('greetingPreview', async () => ({ ok: true, value: { wav: new Uint8Array([82, 73, 70, 70]), peaks: [0.1, 0.9, 0.4], durationSec: 2.34, url: '/media/audio/preview-1', amr, encodedDurationSec: 2.34, truncated: false } }));
    const onUploaded = vi.fn();
    render(<GreetingRecorder enabled onUploaded={onUploaded} />);
    const file = new File([new Uint8Array([1, 2, 3, 4, 5])], 'hello.mp3', { type: 'audio/mpeg' });
    fireEvent.change(screen.getByTestId('record-file'), { target: { files: [file] } });
    // Nothing is encoded until the user asks for the preview.
    fireEvent.click(await screen.findByTestId('record-preview'));
    await waitFor(() => expect(screen.getByTestId('record-preview-info').textContent).toContain('As callers will hear it'));
    const previewCall = fake.calls.find((c) => c.method === 'greetingPreview');
    const previewReq = previewCall?.req as { audio: Uint8Array; mimeType: string; opId: string };
    expect(Array.from(previewReq.audio)).toEqual([1, 2, 3, 4, 5]);
    expect(previewReq.mimeType).toBe('audio/mpeg');
    // The player draws main's peaks of the ENCODED audio and plays main's WAV of it.
    expect(waveSurfers).toEqual([{ url: '/media/audio/preview-1', peaks: [[0.1, 0.9, 0.4]], duration: 2.34 }]);
    expect(screen.getByTestId('record-preview-info').textContent).toContain('0:02');
    fireEvent.click(screen.getByTestId('record-upload'));
    await screen.findByTestId('upload-done');
    const up = fake.calls.find((c) => c.method === 'greetingUpload')?.req as Record<string, unknown>;
    // The previewed AMR goes up unchanged, not the recording.
    expect(up.amr).toBe(amr);
    expect('audio' in up).toBe(false);
    expect(up).toMatchObject({ type: 'normal-greeting', activate: true });
    expect(onUploaded).toHaveBeenCalled();
  });

  it('shows why a preview failed and still offers the upload of the recording', async () => {
    fake.answer('greetingPreview', async () => ({ ok: false, error: { code: 'audio.empty', message: 'The greeting has no audio left (only silence?).', retryable: false } }));
    render(<GreetingRecorder enabled onUploaded={() => {}} />);
    fireEvent.change(screen.getByTestId('record-file'), { target: { files: [new File([new Uint8Array([9])], 'x.wav', { type: 'audio/wav' })] } });
    fireEvent.click(await screen.findByTestId('record-preview'));
    await waitFor(() => expect(screen.getByText(/silent or empty/)).toBeTruthy());
    fireEvent.click(screen.getByTestId('record-upload'));
    await screen.findByTestId('upload-done');
    const up = fake.calls.find((c) => c.method === 'greetingUpload')?.req as Record<string, unknown>;
    expect('amr' in up).toBe(false);
    expect(up.mimeType).toBe('audio/wav');
  });

  it('cannot record or import while the SIM is not ready', () => {
    render(<GreetingRecorder enabled={false} onUploaded={() => {}} />);
    expect((screen.getByTestId('record-start') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a new take asks before the previous one is discarded, and clears the old take’s messages', async () => {
    render(<GreetingRecorder enabled onUploaded={() => {}} />);
    const pick = (name: string) => fireEvent.change(screen.getByTestId('record-file'), { target: { files: [new File([new Uint8Array([1, 2])], name, { type: 'audio/wav' })] } });
    pick('first.wav');
    fireEvent.click(await screen.findByTestId('record-upload'));
    await screen.findByTestId('upload-done');
    pick('second.wav');
    // Uploaded takes are gone from the recorder: nothing to ask; the old success note goes.
    await waitFor(() => expect(screen.getByTestId('record-file-info').textContent).toContain('second.wav'));
    expect(screen.queryByTestId('upload-done')).toBeNull();
    pick('third.wav');
    expect(await screen.findByText('Discard this take?')).toBeTruthy();
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByText('Discard this take?')).toBeNull());
    expect(screen.getByTestId('record-file-info').textContent).toContain('second.wav');
    pick('third.wav');
    fireEvent.click(await screen.findByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('record-file-info').textContent).toContain('third.wav'));
  }, 15_000);

  it('sends the subject and the silence-trim choice', async () => {
    render(<GreetingRecorder enabled onUploaded={() => {}} />);
    fireEvent.change(screen.getByTestId('record-file'), { target: { files: [new File([new Uint8Array([1])], 'chord.flac', { type: 'audio/flac' })] } });
    await screen.findByTestId('record-upload');
    expect(screen.getByTestId('record-file-info').textContent).toBe('chord.flac · length shown in the preview');
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Holiday\nchord' } });
    fireEvent.click(screen.getByLabelText(/Trim silence/));
    fireEvent.click(screen.getByTestId('record-upload'));
    await screen.findByTestId('upload-done');
    const req = fake.calls.find((c) => c.method === 'greetingUpload')?.req as { subject?: string; trimSilence?: boolean };
    expect(req).toMatchObject({ subject: 'Holidaychord', trimSilence: false });
  }, 15_000);
});
