// Benchmark: the cost of the IPC layer itself. (1) Dispatcher overhead per call (schema validation,
// opId bookkeeping, Result wrapping) with an implementation that does nothing; (2) one 60 s voicemail
// (8 kHz 16-bit WAV, ~960 kB, plus 2000 peaks) through the loopback web harness, wire codec included,
// which bounds what the e2e tests pay per playback; (3) progress events let through by the throttle for
// a 1000-chunk download.
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Implementations } from '../../main/ipc/dispatch.js';
import { startWebHarness } from '../../main/web-harness/server.js';
import { createStandInEngine } from '../support/stand-in-engine.js';
import { createImplementations } from '../../main/ipc/implementations.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import { fromWire, toWire } from '../../shared/ipc/wire.js';
import type { BenchResult } from './bench-result.js';

const OP = '3f0c8c5e-5a3b-4c2d-8e1f-9a8b7c6d5e4f';

function post(url: string, token: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs the three measurements. */
export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];

  // (1) dispatcher overhead
  const engine = createStandInEngine(() => Date.UTC(2026, 0, 1));
  const impls: Implementations = { ...createImplementations(engine, memoryPinStore(), { chooseExportDirectory: async () => null }), 'voicemail:markRead': async () => undefined };
  const d = createDispatcher(impls);
  const req = { ids: ['VV-Mail/Inbox/demo-0001'], read: true, opId: OP };
  for (let i = 0; i < 2000; i++) await d.dispatch('voicemail:markRead', req, () => {});
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await d.dispatch('voicemail:markRead', req, () => {});
  const perCall = ((performance.now() - t0) * 1000) / n;
  out.push({ name: 'ipc: dispatcher overhead per call', value: perCall, unit: 'µs', target: '<= 50 µs', ok: perCall <= 50, note: 'validate + abort map + Result' });

  // (2) a 60 s voicemail through the web harness
  const dir = mkdtempSync(join(tmpdir(), 'vvm-bench-ipc-'));
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r', 'index.html'), '<html><head></head></html>');
  writeFileSync(join(dir, 'shim.js'), '');
  const long = createStandInEngine(() => Date.UTC(2026, 0, 1));
  const wav = new Uint8Array(44 + 60 * 8000 * 2);
  const peaks = { min: Array.from({ length: 2000 }, () => -0.5), max: Array.from({ length: 2000 }, () => 0.5) };
  const harnessImpls = createImplementations({ ...long, voicemailAudio: async () => ({ wav, peaks, durationSec: 60 }) }, memoryPinStore(), { chooseExportDirectory: async () => null });
  const h = await startWebHarness({ dispatcher: createDispatcher(harnessImpls), rendererDir: join(dir, 'r'), shimFile: join(dir, 'shim.js') });
  try {
    const body = toWire({ id: 'VV-Mail/Inbox/demo-0001', opId: OP });
    await post(`${h.origin}/ipc/voicemail:audio`, h.token, body);
    const runs = 10;
    const t1 = performance.now();
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const text = await post(`${h.origin}/ipc/voicemail:audio`, h.token, body);
      const res = fromWire(text);
      if (typeof res !== 'object' || res === null || !('ok' in res) || res.ok !== true) throw new Error('harness call failed');
      bytes = text.length;
    }
    const ms = (performance.now() - t1) / runs;
    out.push({ name: 'ipc: 60 s voicemail via web harness', value: ms, unit: 'ms', target: '<= 250 ms', ok: ms <= 250, note: `${Math.round(bytes / 1024)} KiB on the wire (base64 JSON)` });
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }

  // (3) progress throttling
  let sent = 0;
  const chunks = 1000;
  const p = createDispatcher({ ...impls, 'voicemail:audio': async (_r, ctx) => {
    for (let i = 0; i < chunks; i++) {
      ctx.onProgress({ phase: 'download', transferredBytes: i * 1000, totalBytes: chunks * 1000 });
      await new Promise((r) => setTimeout(r, 1));
    }
    return { wav: new Uint8Array(0), peaks: [], durationSec: 0, url: null };
  } });
  const t2 = performance.now();
  await p.dispatch('voicemail:audio', { id: 'x', opId: OP }, () => void sent++);
  const elapsed = performance.now() - t2;
  const bound = Math.floor(elapsed / 100) + 1;
  out.push({ name: 'ipc: progress events for 1000 reports', value: sent, unit: 'events', target: `<= ${bound} (one per 100 ms of ${Math.round(elapsed)} ms)`, ok: sent <= bound && sent > 0 });
  return out;
}
