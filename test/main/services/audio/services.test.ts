// Audio services against fake ports (the real codecs and ffmpeg are exercised in test/integration).
import { describe, expect, it } from 'vitest';
import { AMR_MAGIC, parseAmr } from '../../../../main/protocol/amr/amr-file.js';
import { parseWav } from '../../../../main/protocol/wav.js';
import { ExportService, manifestCsv, type ExportedFile } from '../../../../main/services/audio/export.js';
import { GREETING_LOUDNESS, GreetingService } from '../../../../main/services/audio/greeting.js';
import { PlaybackService } from '../../../../main/services/audio/playback.js';
import type { AmrCodecPort, BlobCachePort, FileSinkPort, ToPcmOptions, TranscoderPort, WriteOptions } from '../../../../main/services/audio/ports.js';
import { FsError, toAppError } from '../../../../main/errors.js';

/** A fake codec: frame i decodes to 160 samples of value i; encoding writes MR122 frames whose payload is the first sample. */
class FakeAmr implements AmrCodecPort {
  readonly name = 'fake';
  decodes = 0;
  async decode(amr: Uint8Array): Promise<Int16Array> {
    this.decodes++;
    const info = parseAmr(amr);
    const out = new Int16Array(info.frames * 160);
    for (let f = 0; f < info.frames; f++) out.fill(f, f * 160, (f + 1) * 160);
    return out;
  }
  async encodeMr122(pcm: Int16Array): Promise<Uint8Array> {
    const frames = Math.ceil(pcm.length / 160);
    const out = new Uint8Array(6 + frames * 32);
    out.set(AMR_MAGIC);
    for (let f = 0; f < frames; f++) out[6 + f * 32] = 0x3c;
    return out;
  }
}

class FakeTranscoder implements TranscoderPort {
  calls: ToPcmOptions[] = [];
  constructor(private readonly pcm: Int16Array) {}
  async toPcm(_input: Uint8Array, opts: ToPcmOptions): Promise<Int16Array> {
    this.calls.push(opts);
    const max = opts.maxSeconds === undefined ? this.pcm.length : Math.round(opts.maxSeconds * opts.sampleRate);
    return this.pcm.subarray(0, max);
  }
  async fromPcm(pcm: Int16Array, rate: number, format: string, tags: Record<string, string | undefined>): Promise<Uint8Array> {
    return new TextEncoder().encode(JSON.stringify({ n: pcm.length, rate, format, tags }));
  }
}

class MemorySink implements FileSinkPort {
  files = new Map<string, Uint8Array>();
  async writeAtomic(dir: string, name: string, data: Uint8Array, opts?: WriteOptions): Promise<string> {
    let n = 0;
    let candidate = name;
    while (this.files.has(`${dir}/${candidate}`)) {
      if ((opts?.onExists ?? 'error') === 'error') throw new FsError('fs.exists', `${candidate} exists`);
      n++;
      candidate = name.replace(/(\.\w+)$/, ` (${n})$1`);
    }
    this.files.set(`${dir}/${candidate}`, data);
    return candidate;
  }
}

function amrOfFrames(n: number): Uint8Array {
  const out = new Uint8Array(6 + n * 32);
  out.set(AMR_MAGIC);
  for (let f = 0; f < n; f++) out[6 + f * 32] = 0x3c;
  return out;
}

describe('GreetingService', () => {
  it('normalises to the telephony loudness target, encodes MR122 and previews the encoded result', async () => {
    const quiet = new Int16Array(8000 * 3 + 50);
    for (let i = 0; i < quiet.length; i++) quiet[i] = Math.round(300 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const t = new FakeTranscoder(quiet);
    const g = await new GreetingService({ amr: new FakeAmr(), transcoder: t }).prepare(new Uint8Array([1, 2, 3]));
    expect(t.calls[0]?.sampleRate).toBe(8000);
    expect(g.loudness?.measuredLufs).toBeLessThan(-35);
    expect(g.loudness?.gainDb).toBeCloseTo(GREETING_LOUDNESS.integrated - (g.loudness?.measuredLufs ?? 0), 5);
    expect(g.info.frames).toBe(151);
    expect(g.durationMs).toBe(3020);
    expect(g.durationSeconds).toBe(3);
    expect(parseWav(g.previewWav).samples.length).toBe(151 * 160);
    expect(g.truncated).toBe(false);
  });

  it('previews exactly the bytes it returns for upload (the last decode is of g.amr, and the preview is that decode)', async () => {
    class RecordingAmr extends FakeAmr {
      decoded: Uint8Array[] = [];
      override async decode(amr: Uint8Array): Promise<Int16Array> {
        this.decoded.push(amr.slice());
        const pcm = await super.decode(amr);
        return pcm.map((v, i) => v + (amr[6 + Math.floor(i / 160) * 32 + 1] ?? 0)); // depends on the payload
      }
      override async encodeMr122(pcm: Int16Array): Promise<Uint8Array> {
        const out = await super.encodeMr122(pcm);
        for (let f = 0; 6 + f * 32 + 1 < out.length; f++) out[6 + f * 32 + 1] = (pcm[f * 160] ?? 0) & 0x7f;
        return out;
      }
    }
    const pcm = Int16Array.from({ length: 1600 }, (_, i) => (i * 37) % 1000);
    const amr = new RecordingAmr();
    const g = await new GreetingService({ amr, transcoder: new FakeTranscoder(pcm) }).prepare(new Uint8Array([1]), { normalize: false });
    expect(amr.decoded).toHaveLength(1);
    expect(Array.from(amr.decoded[0] ?? [])).toEqual(Array.from(g.amr));
    expect(Array.from(parseWav(g.previewWav).samples)).toEqual(Array.from(await amr.decode(g.amr)));
  });

  it('accepts exactly 100 s and rejects 100.1 s with audio.tooLong', async () => {
    const ok = await new GreetingService({ amr: new FakeAmr(), transcoder: new FakeTranscoder(new Int16Array(800_000)) }).prepare(new Uint8Array([1]));
    expect(ok.durationMs).toBe(100_000);
    const svc = new GreetingService({ amr: new FakeAmr(), transcoder: new FakeTranscoder(new Int16Array(800_800)) });
    await expect(svc.prepare(new Uint8Array([1]))).rejects.toMatchObject({ code: 'audio.tooLong' });
    const cut = await svc.prepare(new Uint8Array([1]), { trimToLimit: true });
    expect(cut.durationMs).toBe(100_000);
    expect(cut.truncated).toBe(true);
  });

  it('rejects empty input and refuses encoder output that is not pure MR122', async () => {
    const svc = new GreetingService({ amr: new FakeAmr(), transcoder: new FakeTranscoder(new Int16Array(1600)) });
    await expect(svc.prepare(new Uint8Array(0))).rejects.toMatchObject({ code: 'audio.empty' });
    class DtxAmr extends FakeAmr {
      override async encodeMr122(): Promise<Uint8Array> {
        const out = new Uint8Array(6 + 32 + 6);
        out.set(AMR_MAGIC);
        out[6] = 0x3c;
        out[38] = 0x44; // SID
        return out;
      }
    }
    await expect(new GreetingService({ amr: new DtxAmr(), transcoder: new FakeTranscoder(new Int16Array(1600)) }).prepare(new Uint8Array([1]))).rejects.toMatchObject({ code: 'audio.failed' });
  });

  it('passes trimSilence and normalize=false through, and honours cancellation', async () => {
    const t = new FakeTranscoder(new Int16Array(1600));
    const raw = await new GreetingService({ amr: new FakeAmr(), transcoder: t }).prepare(new Uint8Array([1]), { trimSilence: true, normalize: false });
    expect(t.calls[0]?.trimSilence).toBe(true);
    expect(raw.loudness).toBeNull();
    const ac = new AbortController();
    ac.abort();
    await expect(new GreetingService({ amr: new FakeAmr(), transcoder: t }).prepare(new Uint8Array([1]), { signal: ac.signal })).rejects.toMatchObject({ code: 'op.cancelled' });
  });
});

describe('PlaybackService', () => {
  it('decodes once per id (concurrent callers share), returns WAV, duration and peaks', async () => {
    const amr = new FakeAmr();
    const svc = new PlaybackService({ amr, peakBuckets: 10 });
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      return amrOfFrames(50);
    };
    const [a, b] = await Promise.all([svc.prepare('vm1', fetch), svc.prepare('vm1', fetch)]);
    const c = await svc.prepare('vm1', fetch);
    expect(fetches).toBe(1);
    expect(amr.decodes).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(a.durationMs).toBe(1000);
    expect(parseWav(a.wav).samples.length).toBe(8000);
    expect(a.peaks.max.length).toBe(10);
    expect(a.peaks.max[9]).toBeCloseTo(49 / 32768, 4);
    const r = svc.range('vm1', 'bytes=0-43');
    expect(r?.status).toBe(206);
    expect(svc.range('other', undefined)).toBeNull();
  });

  it('serves later sessions from the disk cache without fetching, and evicts memory by bytes', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: BlobCachePort = { get: async (k) => store.get(k) ?? null, set: async (k, v) => void store.set(k, v) };
    const first = new PlaybackService({ amr: new FakeAmr(), cache });
    const a = await first.prepare('vm/with:odd chars', async () => amrOfFrames(20));
    expect(store.size).toBe(2);
    for (const k of store.keys()) expect(k).toMatch(/^[0-9a-f]{32}\.(wav|peaks\.json)$/);
    const amr = new FakeAmr();
    const second = new PlaybackService({ amr, cache, maxMemoryBytes: 1 });
    const b = await second.prepare('vm/with:odd chars', async () => {
      throw new Error('must not fetch');
    });
    expect(amr.decodes).toBe(0);
    expect(Array.from(b.wav)).toEqual(Array.from(a.wav));
    expect(b.peaks).toEqual(a.peaks);
    expect(second.range('vm/with:odd chars', undefined)).toBeNull(); // too big for a 1-byte memory cache
  });

  it('ignores a corrupt cache entry and decodes again', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: BlobCachePort = { get: async (k) => store.get(k) ?? null, set: async (k, v) => void store.set(k, v) };
    await new PlaybackService({ amr: new FakeAmr(), cache }).prepare('x', async () => amrOfFrames(5));
    for (const k of store.keys()) if (k.endsWith('.json')) store.set(k, new TextEncoder().encode('{"v":2}'));
    const amr = new FakeAmr();
    const again = await new PlaybackService({ amr, cache }).prepare('x', async () => amrOfFrames(5));
    expect(amr.decodes).toBe(1);
    expect(again.durationMs).toBe(100);
  });
});

describe('ExportService', () => {
  const items = [
    { id: 'a', from: '+12065550100', date: '2024-01-01T14:05:00Z' },
    { id: 'b', from: null, date: '2024-01-02T09:30:00Z' },
  ];
  const payloads: Record<string, Uint8Array> = { a: amrOfFrames(2100), b: amrOfFrames(50) };

  it('exports with template names, tags and a JSON manifest, with progress', async () => {
    const sink = new MemorySink();
    const t = new FakeTranscoder(new Int16Array(0));
    const svc = new ExportService({ playback: new PlaybackService({ amr: new FakeAmr() }), transcoder: t, sink });
    const progress: string[] = [];
    const r = await svc.export(items, async (id) => payloads[id] ?? new Uint8Array(0), { format: 'mp3', outDir: '/out', manifest: 'json', timeZone: 'UTC', onProgress: (p) => progress.push(`${p.done}/${p.total}`) });
    expect(r.failed).toEqual([]);
    expect(r.files.map((f) => f.file)).toEqual(['2024-01-01 14.05 +12065550100 (0m42s).mp3', '2024-01-02 09.30 unknown (0m01s).mp3']);
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
    const first = JSON.parse(new TextDecoder().decode(sink.files.get('/out/2024-01-01 14.05 +12065550100 (0m42s).mp3')));
    expect(first).toMatchObject({ n: 2100 * 160, rate: 8000, format: 'mp3', tags: { artist: '+12065550100', date: '2024-01-01T14:05:00.000Z' } });
    expect(first.tags.comment).toContain('0m42s');
    const manifest = JSON.parse(new TextDecoder().decode(sink.files.get('/out/manifest.json')));
    expect(manifest.exported).toHaveLength(2);
    expect(r.manifest).toBe('manifest.json');
  });

  it('writes the original AMR bytes for format amr, and reports per-item failures without stopping', async () => {
    const sink = new MemorySink();
    const svc = new ExportService({ playback: new PlaybackService({ amr: new FakeAmr() }), transcoder: new FakeTranscoder(new Int16Array(0)), sink });
    const broken = { id: 'c', from: '+1', date: '2024-01-03T00:00:00Z' };
    const r = await svc.export([items[0]!, broken], async (id) => (id === 'c' ? new TextEncoder().encode('#!AMR\n\x3c') : (payloads[id] ?? new Uint8Array(0))), { format: 'amr', outDir: '/o', timeZone: 'UTC' });
    expect(r.files).toHaveLength(1);
    expect(sink.files.get('/o/' + r.files[0]!.file)).toBe(payloads.a);
    expect(r.failed.map((f) => [f.id, f.error.code])).toEqual([['c', 'audio.invalid']]);
  });

  it('never overwrites silently: a second export fails with fs.exists, or numbers with suffix', async () => {
    const sink = new MemorySink();
    const svc = new ExportService({ playback: new PlaybackService({ amr: new FakeAmr() }), transcoder: new FakeTranscoder(new Int16Array(0)), sink });
    const fetch = async (id: string) => payloads[id] ?? new Uint8Array(0);
    await svc.export([items[0]!], fetch, { format: 'wav', outDir: '/o', timeZone: 'UTC' });
    const again = await svc.export([items[0]!], fetch, { format: 'wav', outDir: '/o', timeZone: 'UTC' });
    expect(again.failed[0]?.error.code).toBe('fs.exists');
    const numbered = await svc.export([items[0]!], fetch, { format: 'wav', outDir: '/o', onExists: 'suffix', timeZone: 'UTC' });
    expect(numbered.files[0]?.file).toBe('2024-01-01 14.05 +12065550100 (0m42s) (1).wav');
  });

  it('a disk failure (fs.failed) stops the batch: this and the remaining items fail with it, no manifest attempted', async () => {
    class FailingSink extends MemorySink {
      writes = 0;
      override async writeAtomic(dir: string, name: string, data: Uint8Array, opts?: WriteOptions): Promise<string> {
        if (++this.writes === 2) throw new FsError('fs.failed', `Could not write ${dir}/${name} (ENOSPC).`, { detail: { path: `${dir}/${name}`, errno: 'ENOSPC' } });
        return super.writeAtomic(dir, name, data, opts);
      }
    }
    const sink = new FailingSink();
    const fetched: string[] = [];
    const svc = new ExportService({ playback: new PlaybackService({ amr: new FakeAmr() }), transcoder: new FakeTranscoder(new Int16Array(0)), sink });
    const three = [...items, { id: 'c', from: '+1', date: '2024-01-03T00:00:00Z' }];
    const r = await svc.export(three, async (id) => (fetched.push(id), payloads[id] ?? amrOfFrames(3)), { format: 'wav', outDir: '/o', manifest: 'json', timeZone: 'UTC' });
    expect(r.files.map((f) => f.id)).toEqual(['a']);
    expect(r.failed.map((f) => [f.id, f.error.code])).toEqual([['b', 'fs.failed'], ['c', 'fs.failed']]);
    expect(fetched).toEqual(['a', 'b']); // c was not downloaded for nothing
    // Each item reports its own error: c was not attempted, it did not fail writing b's file (issue 11).
    const [b, c] = r.failed;
    expect(b?.error.message).toContain('/o/2024-01-02');
    expect(c?.error.message).not.toContain('/o/2024-01-02');
    expect(c?.error.message).toContain('Not exported');
    expect(c?.error.detail).toMatchObject({ path: '/o', errno: 'ENOSPC', notAttempted: 'true' });
    expect(r.manifest).toBeUndefined();
    expect([...sink.files.keys()]).toEqual(['/o/2024-01-01 14.05 +12065550100 (0m42s).wav']);
  });

  it('stops the batch when cancelled', async () => {
    const ac = new AbortController();
    const svc = new ExportService({ playback: new PlaybackService({ amr: new FakeAmr() }), transcoder: new FakeTranscoder(new Int16Array(0)), sink: new MemorySink() });
    const run = svc.export(items, async (id) => {
      ac.abort();
      return payloads[id] ?? new Uint8Array(0);
    }, { format: 'flac', outDir: '/o', signal: ac.signal });
    await expect(run).rejects.toSatisfy((e: unknown) => toAppError(e).code === 'op.cancelled');
  });

  it('CSV manifest quotes fields and neutralises formulas but keeps phone numbers', () => {
    const f: ExportedFile = { id: '=HYPERLINK("x")', file: 'a "b".mp3', from: '+12065550100', date: '2024', durationMs: 1, format: 'mp3', bytes: 2 };
    const csv = manifestCsv([f]);
    expect(csv.split('\r\n')[0]).toBe('id,file,from,date,durationMs,format,bytes');
    expect(csv).toContain(`"'=HYPERLINK(""x"")","a ""b"".mp3","+12065550100"`);
  });
});
