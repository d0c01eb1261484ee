// Benchmark of the library sync (issue 9), with injected latency: RTT_MS on every BSF and relay round
// trip, CARD_MS per card operation (AUTHENTICATE; the card does one thing at a time).
//  1. In process (simulated card behind the slow serial wrapper): the first sync of 45 voicemails and an
//     incremental sync with 1 new one, next to the card-bound floor (card operations x CARD_MS plus one
//     pipeline fill: the first challenge before the first AKA, the last BSF answer and relay request after
//     the last) and a fully sequential client (per call: probe, challenge, AKA, answer, request, one after
//     the other; GET object then payload per voicemail). Target: first sync <= 1.25 x floor.
//  2. The whole `vvm-desk sync` process through pcsclite -> pcscd -> vpcd -> simulated ISIM (start, card
//     session, listing, every payload) against the sequential one-call-at-a-time pattern measured in the
//     same run through the same stack (one card session, a fresh bootstrap per call, GET object then
//     payload for each voicemail). Target: >= 3.5x faster.
// Run through the bench runner (npm run bench) or alone: node out/test/bench/library-sync.js
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createNodeHttp } from '../../main/adapters/http/node-http.js';
import { openLibraryStore } from '../../main/adapters/library/sqlite-library.js';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startBsf, type SimBsf } from '../../main/sim/carrier/bsf.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { InProcessCardReader } from '../../main/sim/card/in-process-reader.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { CardService } from '../../main/services/card/card-service.js';
import { NO_PIN } from '../../main/services/card/pin-source.js';
import type { AkaCard } from '../../main/services/contracts.js';
import { createGbaBootstrapper } from '../../main/services/gba/bootstrap.js';
import { createNafAuthenticator } from '../../main/services/gba/naf-authenticator.js';
import { syncMailbox } from '../../main/services/library/sync.js';
import { MstoreClient } from '../../main/services/mstore/client.js';
import { defaultSettings } from '../../shared/settings.js';
import { startPcscd, VPCD_READERS } from '../support/pcscd.js';
import type { LinesBenchResult } from './bench-result.js';
import { benchAmr, benchVoicemails, isoSeconds } from './bench-mailbox.js';
import { slowSerialCard } from './slow-card.js';

/** The project folder (this file runs compiled, from out/test/bench/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const VOICEMAILS = 45;
const RTT_MS = 60;
const CARD_MS = 150;
const CONCURRENCY = 6;
const MSISDN = '+12065550100';
/** INS of AUTHENTICATE (TS 31.102 7.1.2): the card operation that takes CARD_MS on a real SIM. */
const INS_AUTHENTICATE = 0x88;

const clock = { now: () => Date.now(), monotonic: () => performance.now() };
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function carrier(profile: ReturnType<typeof demoProfile>): Promise<{ bsf: SimBsf; relay: RelayHandle }> {
  const bsf = await startBsf({ subscribers: [simSubscriber(profile)], latencyMs: RTT_MS });
  const relay = await startRelay({
    scenario: { msisdn: MSISDN, voicemails: benchVoicemails(VOICEMAILS) },
    nafKey: nafKeyLookup(bsf.keyStore),
    latencyMs: RTT_MS,
  });
  return { bsf, relay };
}

const relayRequests = (r: RelayHandle) => r.stats.probes + r.stats.authenticated;

interface Phase {
  wallMs: number;
  relayRequests: number;
  bsfRequests: number;
  cardOps: number;
  downloaded: number;
}

/** Part 1: in-process first and incremental sync. */
async function inProcess(): Promise<{ first: Phase; incr: Phase }> {
  const profile = demoProfile();
  const { bsf, relay } = await carrier(profile);
  const settings = { ...defaultSettings(), server: relay.url, bsf: bsf.url, msisdn: MSISDN };
  const cards = new CardService(new InProcessCardReader(new SimulatedUicc(profile)), { pinSource: NO_PIN });
  const session = await cards.openSession();
  const data = mkdtempSync(join(tmpdir(), 'vvm-bench-lib-'));
  const lib = openLibraryStore(data).open({ iccid: session.info().iccid, msisdn: MSISDN });
  try {
    const http = createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxResponseBytes: 8 << 20 });
    const card = slowSerialCard(session, CARD_MS);
    const bootstrapper = createGbaBootstrapper({ card, http, clock, random, logger, settings });
    const auth = createNafAuthenticator({ bootstrapper, http, clock, random, logger, settings });
    const client = new MstoreClient({ http: auth, server: relay.url, msisdn: async () => MSISDN, clock, random });
    const phase = async (): Promise<Phase> => {
      const before = { relay: relayRequests(relay), bsf: bsf.log.length, ops: card.ops };
      const t0 = performance.now();
      const r = await syncMailbox({ mstore: client, library: lib, clock }, { concurrency: CONCURRENCY });
      const wallMs = performance.now() - t0;
      if (!r.complete) throw new Error(`sync failed: ${r.failures.map((f) => f.error.message).join('; ')}`);
      return { wallMs, relayRequests: relayRequests(relay) - before.relay, bsfRequests: bsf.log.length - before.bsf, cardOps: card.ops - before.ops, downloaded: r.downloaded };
    };
    const first = await phase();
    relay.addVoicemail({ from: '14255550999', date: isoSeconds(Date.UTC(2026, 10, 2)), audioBase64: benchAmr(120, 99) });
    const incr = await phase();
    return { first, incr };
  } finally {
    lib.close();
    rmSync(data, { recursive: true, force: true });
    await session.close();
    await cards.close();
    await relay.close();
    await bsf.close();
  }
}

/** Card-bound floor: every card operation back to back, plus one pipeline fill (challenge before, answer + request after). */
function floorMs(cardOps: number): number {
  return cardOps * CARD_MS + 3 * RTT_MS;
}

/** Fully sequential client: per call probe, challenge, AKA, answer, request one after the other; GET object then payload per voicemail. */
function sequentialMs(calls: number): number {
  return calls * (4 * RTT_MS + CARD_MS);
}

/** Shortest time of one APDU (SELECT MF) through pcsclite -> pcscd -> vpcd -> the simulated card. */
async function measureTransport(): Promise<number> {
  const port = new PcscReaderPort();
  try {
    const card = await port.connect(VPCD_READERS[0]);
    try {
      const select = Uint8Array.from([0x00, 0xa4, 0x00, 0x04, 0x02, 0x3f, 0x00]);
      await card.transmit(select);
      // The fastest of 15: the delay added to AUTHENTICATE never makes a card operation shorter than CARD_MS.
      let best = Infinity;
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        await card.transmit(select);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    } finally {
      await card.close();
    }
  } finally {
    await port.close();
  }
}

/** Part 2: the `vvm-desk sync` process and the sequential pattern, both through pcscd + vpcd. */
async function realStack(): Promise<{ transportMs: number; processApdus: number; seqApdus: number; processMs: number; processOps: number; processRequests: number; seqMs: number; seqOps: number; seqRequests: number; stored: number }> {
  const harness = await startPcscd();
  const profile = demoProfile();
  let authenticates = 0;
  let akaDelayMs = CARD_MS;
  const uicc = new SimulatedUicc(profile, { protocol: 'T1' });
  const att = await harness.attach(uicc, 0, {
    delayMs: (apdu) => {
      if (apdu[1] !== INS_AUTHENTICATE) return 0;
      authenticates++;
      return akaDelayMs;
    },
  });
  // The vpcd loopback transport itself costs tens of ms per APDU (vpcd writes each command in two TCP
  // segments; Nagle on its side meets delayed ACK on ours). A real reader adds a few ms. So AUTHENTICATE
  // is delayed by CARD_MS minus the fastest transport measured: each card operation takes at least CARD_MS end to end,
  // as on a real SIM, for both clients measured below. Other APDUs keep the full transport cost.
  const transportMs = await measureTransport();
  akaDelayMs = Math.max(0, CARD_MS - transportMs);
  const { bsf, relay } = await carrier(profile);
  const data = mkdtempSync(join(tmpdir(), 'vvm-bench-data-'));
  try {
    // The whole process: node start, card session over PC/SC, both listings, every payload, the library.
    const r0 = relayRequests(relay);
    const ops0 = authenticates;
    const apdus0 = att.apduCount;
    const t0 = performance.now();
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'vvm-desk.js'), '--reader', VPCD_READERS[0], '--server', relay.url, '--bsf', bsf.url, '--data-dir', data, '--json', 'sync'], {
        env: { ...process.env, VVM_CONFIG_DIR: data },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
    const processMs = performance.now() - t0;
    if (out.code !== 0) throw new Error(`vvm-desk sync failed (${out.code}): ${out.stderr.slice(0, 500)}`);
    const stored = (JSON.parse(out.stdout) as { downloaded: number }).downloaded;
    const processOps = authenticates - ops0;
    const processApdus = att.apduCount - apdus0;
    const processRequests = relayRequests(relay) - r0;

    // The sequential pattern, same stack, same run: one call at a time, GET object then payload.
    const readers = new PcscReaderPort();
    const r1 = relayRequests(relay);
    const ops1 = authenticates;
    const t1 = performance.now();
    const session = await new CardService(readers, { reader: VPCD_READERS[0], pinSource: NO_PIN }).openSession();
    try {
      const settings = { ...defaultSettings(), server: relay.url, bsf: bsf.url };
      const http = createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxResponseBytes: 8 << 20 });
      const card: AkaCard = session;
      const bootstrapper = createGbaBootstrapper({ card, http, clock, random, logger, settings });
      const auth = createNafAuthenticator({ bootstrapper, http, clock, random, logger, settings });
      const client = new MstoreClient({ http: auth, server: relay.url, msisdn: async () => session.identity.msisdn ?? MSISDN, clock, random });
      const list = await client.listVoicemails();
      for (const e of list.items) {
        const meta = await client.getVoicemail(e.item.id);
        await client.download(meta.payloadPath, { expectedSize: meta.item.size });
      }
    } finally {
      await session.close();
      await readers.close();
    }
    const seqMs = performance.now() - t1;
    return { transportMs, processApdus, seqApdus: att.apduCount - apdus0 - processApdus, processMs, processOps, processRequests, seqMs, seqOps: authenticates - ops1, seqRequests: relayRequests(relay) - r1, stored };
  } finally {
    rmSync(data, { recursive: true, force: true });
    await relay.close();
    await bsf.close();
    await att.remove();
    await harness.release();
  }
}

/** The benchmark as the runner calls it. */
export async function runLibrarySyncBench(): Promise<LinesBenchResult> {
  const name = `library sync: ${VOICEMAILS} voicemails, first and incremental (${RTT_MS} ms per round trip, ${CARD_MS} ms per card operation)`;
  const lines: string[] = [];
  let ok = true;
  const { first, incr } = await inProcess();
  const f1 = floorMs(first.cardOps);
  const f2 = floorMs(incr.cardOps);
  const firstOk = first.downloaded === VOICEMAILS && first.wallMs <= 1.25 * f1;
  ok &&= firstOk && incr.downloaded === 1;
  lines.push(
    `first sync: ${Math.round(first.wallMs)} ms, ${first.relayRequests} relay requests, ${first.bsfRequests} BSF requests, ${first.cardOps} card operations, ${first.downloaded} payloads`,
    `  card-bound floor ${Math.round(f1)} ms -> ratio ${(first.wallMs / f1).toFixed(2)} (target <= 1.25)${firstOk ? '' : '  [MISSED]'}; fully sequential client ${sequentialMs(1 + 2 * VOICEMAILS)} ms (${(sequentialMs(1 + 2 * VOICEMAILS) / first.wallMs).toFixed(1)}x slower)`,
    `incremental sync (1 new): ${Math.round(incr.wallMs)} ms, ${incr.relayRequests} relay requests, ${incr.bsfRequests} BSF requests, ${incr.cardOps} card operations, ${incr.downloaded} payload`,
    `  card-bound floor ${Math.round(f2)} ms -> ratio ${(incr.wallMs / f2).toFixed(2)}; fully sequential client ${sequentialMs(1 + 2)} ms`,
  );
  try {
    const r = await realStack();
    const speedup = r.seqMs / r.processMs;
    const procOk = r.stored === VOICEMAILS && speedup >= 3.5;
    ok &&= procOk;
    lines.push(
      `vvm-desk sync process through pcscd + vpcd: ${Math.round(r.processMs)} ms (start, card session, listings, ${r.stored} payloads; ${r.processRequests} relay requests, ${r.processApdus} APDUs of which ${r.processOps} AUTHENTICATE)`,
      `  card-bound floor ${Math.round(floorMs(r.processOps))} ms; vpcd transport at best ${r.transportMs.toFixed(1)} ms per APDU (AUTHENTICATE delayed so it takes at least ${CARD_MS} ms in all)`,
      `  sequential one call at a time, same stack: ${Math.round(r.seqMs)} ms (${r.seqRequests} relay requests, ${r.seqApdus} APDUs of which ${r.seqOps} AUTHENTICATE) -> ${speedup.toFixed(2)}x faster (target >= 3.5)${procOk ? '' : '  [MISSED]'}`,
    );
  } catch (e) {
    ok = false;
    lines.push(`vvm-desk sync process through pcscd + vpcd: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { name: `${name}${ok ? '' : '  [MISSED]'}`, ok, lines: [name, ...lines] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runLibrarySyncBench();
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`);
  for (const l of r.lines) console.log(`     ${l}`);
  process.exitCode = r.ok ? 0 : 1;
}
