// The real `vvm-desk` process (compiled to out/ by `npx tsc -p tsconfig.json`): `audio convert`, `audio info`,
// and the audio side of `voicemail export` and `greeting upload` in demo mode (simulated SIM and carrier).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestCorrelation, ffmpegConvert, ffprobe, installerFfmpeg, referencePcm, soxAmrDtx, speechWav, wavSamples } from '../support/audio.js';
import { requireBuilt, runCli, type CliRun } from '../support/cli-process.js';

let work = '';
let demoDir = '';

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { VVM_DEMO_DIR: demoDir, ...env }, 60_000, work);
}

let speech = '';

beforeAll(() => {
  // The audio code these commands run: a build older than any of it would test stale code.
  requireBuilt(['main/cli/main.ts', 'main/cli/commands/audio.ts', 'main/adapters/ffmpeg/runner.ts', 'main/adapters/ffmpeg/transcoder.ts', 'main/adapters/ffmpeg/locate.ts', 'main/adapters/fs/atomic-write.ts', 'main/services/audio/export.ts', 'main/services/audio/greeting.ts']);
  work = mkdtempSync(join(tmpdir(), 'vvm-audio-cli-'));
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-audio-demo-'));
  speech = speechWav(work, 'speech.wav', 'This is a test of the voicemail desk audio commands.');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(demoDir, { recursive: true, force: true });
});

interface Info {
  codec: string;
  durationMs: number;
  frames: number;
  modeCounts: Record<string, number>;
  sidFrames: number;
  noDataFrames: number;
}

describe('vvm-desk audio', () => {
  it('info --json describes a DTX AMR file: frames, mode counts, SID and NO_DATA', async () => {
    const amr = soxAmrDtx(speech, join(work, 'dtx.amr'));
    const r = await cli(['--json', 'audio', 'info', amr]);
    expect(r.code, r.stderr).toBe(0);
    const i = JSON.parse(r.stdout) as Info;
    expect(i.codec).toBe('amr-nb');
    expect(i.sidFrames).toBeGreaterThan(0);
    expect(i.noDataFrames).toBeGreaterThan(0);
    expect(i.durationMs).toBe(i.frames * 20);
    expect(Object.values(i.modeCounts).reduce((a, b) => a + b, 0) + i.sidFrames + i.noDataFrames).toBe(i.frames);
  });

  it('convert WAV -> AMR (MR122) -> MP3, Ogg/Opus, WAV, FLAC, readable by ffprobe', async () => {
    const toAmr = await cli(['audio', 'convert', speech, 'speech.amr']);
    expect(toAmr.code, toAmr.stderr).toBe(0);
    const i = JSON.parse((await cli(['--json', 'audio', 'info', 'speech.amr'])).stdout) as Info;
    expect(i.modeCounts.MR122).toBe(i.frames);
    for (const ext of ['mp3', 'ogg', 'wav', 'flac']) {
      const r = await cli(['audio', 'convert', 'speech.amr', `speech-back.${ext}`]);
      expect(r.code, r.stderr).toBe(0);
      const p = ffprobe(join(work, `speech-back.${ext}`));
      // Opus always decodes at 48 kHz (RFC 7845 5.1); the others keep the AMR-NB rate.
      expect(p.streams[0]?.sample_rate).toBe(ext === 'ogg' ? '48000' : '8000');
      expect(Math.abs(Number(p.format.duration) - i.durationMs / 1000)).toBeLessThan(0.25);
    }
  });

  it('refuses to overwrite without --force, and converts only to or from AMR', async () => {
    await cli(['audio', 'convert', speech, 'once.amr']);
    const again = await cli(['audio', 'convert', speech, 'once.amr']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[fs.exists]');
    expect((await cli(['audio', 'convert', speech, 'once.amr', '--force'])).code).toBe(0);
    expect((await cli(['audio', 'convert', speech, 'x.mp3'])).code).toBe(2);
    expect((await cli(['audio', 'convert', speech, 'x.xyz'])).code).toBe(2);
  });

  it('tools reports the ffmpeg and codec in use, and a missing ffmpeg with the install hint', async () => {
    const ok = JSON.parse((await cli(['--json', 'audio', 'tools'])).stdout) as { amrCodec: string; ffmpeg: { unavailable?: string[] } };
    expect(['opencore-js', 'ffmpeg-libopencore']).toContain(ok.amrCodec);
    expect(ok.ffmpeg.unavailable).toEqual([]);
    const none = await cli(['audio', 'tools'], { FFMPEG_PATH: join(work, 'nope') });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('not available');
    expect(none.stdout).toContain('apt-get install ffmpeg');
    expect(none.stdout).toContain('bundled JavaScript build');
  });

  it('typed errors: corrupt AMR (with where), empty file, missing ffmpeg', async () => {
    const good = readFileSync(join(work, 'speech.amr'));
    writeFileSync(join(work, 'cut.amr'), good.subarray(0, good.length - 7));
    const cut = await cli(['audio', 'info', 'cut.amr']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/\[audio\.invalid\]/);
    expect(cut.stderr).toMatch(/frame \d+ at byte \d+/);
    writeFileSync(join(work, 'empty.wav'), '');
    expect((await cli(['audio', 'convert', 'empty.wav', 'e.amr'])).stderr).toContain('[audio.empty]');
    const noFfmpeg = await cli(['audio', 'convert', 'speech.amr', 'nf.mp3'], { FFMPEG_PATH: join(work, 'nope') });
    expect(noFfmpeg.code).toBe(1);
    expect(noFfmpeg.stderr).toContain('[audio.ffmpegMissing]');
    expect(noFfmpeg.stderr).toContain('hint:');
  });
});

describe('vvm-desk --demo voicemail export and greeting upload', () => {
  it('exports two voicemails as FLAC with a JSON manifest; a second run does not overwrite', async () => {
    const list = JSON.parse((await cli(['--demo', '--json', 'voicemail', 'list'])).stdout) as { id: string; from: string }[];
    expect(list.length).toBeGreaterThan(1);
    const ids = list.slice(0, 2).map((v) => v.id);
    const r = await cli(['--demo', '--json', 'voicemail', 'export', ...ids, '--format', 'flac', '--out', 'exported', '--manifest', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { file: string; id: string }[]; manifest: string };
    expect(out.files.map((f) => f.id)).toEqual(ids);
    for (const f of out.files) {
      expect(f.file).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}\.\d{2} .+ \(\dm\d{2}s\)\.flac$/);
      const p = ffprobe(join(work, 'exported', f.file));
      expect(p.streams[0]?.codec_name).toBe('flac');
      expect(p.format.tags?.ARTIST ?? p.format.tags?.artist).toBeTruthy();
    }
    expect(readdirSync(join(work, 'exported')).sort()).toEqual([...out.files.map((f) => f.file), 'manifest.json'].sort());
    const again = await cli(['--demo', 'voicemail', 'export', ids[0] ?? '', '--format', 'flac', '--out', 'exported']);
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toContain('fs.exists');
  });

  it('--preview writes what callers will hear: the copy the server stored decodes to exactly that audio', async () => {
    const mp3 = ffmpegConvert(speech, join(work, 'preview-in.mp3'), ['-c:a', 'libmp3lame']);
    const up = await cli(['--demo', '--json', 'greeting', 'upload', mp3, '--preview', 'preview.wav']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('preview.wav');
    const { id } = JSON.parse(up.stdout) as { id: string };
    const down = await cli(['--demo', 'greeting', 'download', id, 'stored.amr']);
    expect(down.code, down.stderr).toBe(0);
    // Decoded by ffmpeg's libopencore_amrnb (not the code under test) from the bytes the relay stored.
    const heard = referencePcm(join(work, 'stored.amr'), 8000, installerFfmpeg(), ['-c:a', 'libopencore_amrnb']);
    const preview = wavSamples(join(work, 'preview.wav'));
    expect(preview.sampleRate).toBe(8000);
    expect(preview.samples.length).toBe(heard.length);
    expect(bestCorrelation(heard, preview.samples, 0)).toBeGreaterThan(0.99);
    // Never over an existing file; nothing is uploaded then.
    const before = (JSON.parse((await cli(['--demo', '--json', 'greeting', 'list'])).stdout) as unknown[]).length;
    const again = await cli(['--demo', 'greeting', 'upload', mp3, '--preview', 'preview.wav']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[fs.exists]');
    expect((JSON.parse((await cli(['--demo', '--json', 'greeting', 'list'])).stdout) as unknown[]).length).toBe(before);
  });

  it('uploads an MP3 greeting (encoded to AMR-NB) and rejects a 100.1 s one', async () => {
    const mp3 = ffmpegConvert(speech, join(work, 'greeting.mp3'), ['-c:a', 'libmp3lame']);
    const up = await cli(['--demo', '--json', 'greeting', 'upload', mp3, '--activate']);
    expect(up.code, up.stderr).toBe(0);
    expect((JSON.parse(up.stdout) as { active: boolean }).active).toBe(true);
    const long = ffmpegConvert(speech, join(work, 'long.wav'), ['-af', 'apad=whole_dur=100.1']);
    const tooLong = await cli(['--demo', 'greeting', 'upload', long]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain('[audio.tooLong]');
    const missing = await cli(['--demo', 'greeting', 'upload', 'no-such-file.wav']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT.*\[fs\.failed\]/);
  });
});
