// The simulated relay's mailbox for the benchmarks: voicemails an hour apart, each from its own caller,
// with AMR payloads of distinct sizes and contents.

/** An AMR-NB file (magic, then `frames` 12.2 kbit/s frames filled from `seed`), base64 as the relay scenario takes it. */
export function benchAmr(frames: number, seed: number): string {
  const out = Buffer.alloc(6 + frames * 32);
  out.write('#!AMR\n', 'latin1');
  for (let i = 0; i < frames; i++) {
    out[6 + i * 32] = 0x3c;
    out.fill((seed + i) & 0xff, 6 + i * 32 + 1, 6 + (i + 1) * 32);
  }
  return out.toString('base64');
}

/** An ISO time to the second (no milliseconds), as the relay's voicemail dates are written. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `count` voicemails for the relay scenario, the newest at 2026-11-01T00:00Z, one hour apart. */
export function benchVoicemails(count: number): { from: string; date: string; audioBase64: string }[] {
  return Array.from({ length: count }, (_, i) => ({ from: `1425555${String(1000 + i)}`, date: isoSeconds(Date.UTC(2026, 10, 1) - i * 3600_000), audioBase64: benchAmr(150 + i, i) }));
}
