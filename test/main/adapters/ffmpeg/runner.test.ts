import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../main/errors.js';
import { parseListing } from '../../../../main/adapters/ffmpeg/locate.js';
import { classifyFfmpegFailure, needsSeekableInput, Semaphore } from '../../../../main/adapters/ffmpeg/runner.js';

describe('Semaphore', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        sem.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sem.running).toBe(0);
  });

  it('a waiter whose signal aborts leaves the queue with CancelledError', async () => {
    const sem = new Semaphore(1);
    let release: () => void = () => {};
    const first = sem.run(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = sem.run(async () => 'ran', ac.signal);
    ac.abort();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    release();
    await first;
    await expect(sem.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('classifyFfmpegFailure', () => {
  it.each([
    ['pipe:0: Invalid data found when processing input', 'audio.invalid'],
    ['[mov,mp4,m4a] moov atom not found', 'audio.invalid'],
    ['Unknown encoder \'libfoo\'', 'audio.codecMissing'],
    ['No such filter: \'loudnorm\'', 'audio.codecMissing'],
    ['Conversion failed!', 'audio.failed'],
  ])('%s -> %s', (stderr, code) => {
    const e = classifyFfmpegFailure(stderr, 1);
    expect(e.code).toBe(code);
    expect(e.detail?.stderr).toContain(stderr.slice(0, 10));
  });
});

describe('helpers', () => {
  it('needsSeekableInput spots ISO-BMFF (ftyp at byte 4) only', () => {
    expect(needsSeekableInput(Uint8Array.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x4d]))).toBe(true);
    expect(needsSeekableInput(new TextEncoder().encode('RIFF....WAVE'))).toBe(false);
  });

  it('parseListing reads codec and filter rows, not legends', () => {
    const enc = ' V..... = Video\n ------\n A..... libopencore_amrnb OpenCORE AMR-NB (codec amr_nb)\n A....D flac                 FLAC\n';
    expect([...parseListing(enc, 'codecs')]).toEqual(['libopencore_amrnb', 'flac']);
    const fil = '  T.. = Timeline support\n ... loudnorm          A->A       EBU R128 loudness normalization\n T.C silenceremove     A->A       Remove silence.\n';
    expect([...parseListing(fil, 'filters')]).toEqual(['loudnorm', 'silenceremove']);
  });
});
