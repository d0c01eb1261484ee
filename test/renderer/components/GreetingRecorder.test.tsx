import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GreetingRecorder } from '../../../renderer/components/GreetingRecorder.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

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
    await waitFor(() => expect(screen.getByText(/longer than 100 s/)).toBeTruthy());
    expect(screen.getByTestId('record-preview')).toBeTruthy();
  });

  it('cannot record or import while the SIM is not ready', () => {
    render(<GreetingRecorder enabled={false} onUploaded={() => {}} />);
    expect((screen.getByTestId('record-start') as HTMLButtonElement).disabled).toBe(true);
  });
});
