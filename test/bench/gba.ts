// Benchmark: one authenticated mstore request (probe || GBA bootstrap, then the authenticated request)
// with injected delays: a network round trip on every BSF and relay request, and a fixed time per card
// operation. Compared with the critical-path floor, max(probe, bootstrap) + authenticated request, and
// with the fully sequential time. Target: within 10% of the floor.
// Run through the bench runner (npm run bench) or alone: node out/test/bench/gba.js
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createNodeHttp } from '../../main/adapters/http/node-http.js';
import { CardSession } from '../../main/services/card/card-session.js';
import { createGbaBootstrapper } from '../../main/services/gba/bootstrap.js';
import { createNafAuthenticator } from '../../main/services/gba/naf-authenticator.js';
import { buildNafId } from '../../main/protocol/gba/naf-id.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { DEMO_READER_NAME, InProcessCardReader } from '../../main/sim/card/in-process-reader.js';
import { startBsf } from '../../main/sim/carrier/bsf.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startRelay } from '../../main/sim/carrier/relay.js';
import type { LinesBenchResult } from './bench-result.js';
import { slowSerialCard } from './slow-card.js';

const RTT_MS = 60;
const CARD_MS = 150;
const RUNS = 7;
const CONCURRENT = 4;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function one(gbaU: boolean): Promise<{ measured: number; floor: number; sequential: number; concMeasured: number; concFloor: number; wholeBootstrapFloor: number }> {
  const profile = demoProfile({ gbaU });
  const reader = new InProcessCardReader(new SimulatedUicc(profile));
  const session = await CardSession.open(await reader.connect(DEMO_READER_NAME));
  const card = slowSerialCard(session, CARD_MS);
  const nafId = buildNafId('wsg.t-mobile.com', '010001002f');
  const bsf = await startBsf({ subscribers: [simSubscriber(profile)], realm: 'bsf.msg.pc.t-mobile.com', latencyMs: RTT_MS });
  const relay = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: nafKeyLookup(bsf.keyStore), latencyMs: RTT_MS });
  const http = createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxResponseBytes: 1 << 20 });
  const clock = { now: () => Date.now(), monotonic: () => performance.now() };
  const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const boot = createGbaBootstrapper({ card, http, clock, random, logger, settings: { bsf: bsf.url } });
  const auth = createNafAuthenticator({ bootstrapper: boot, http, clock, random, logger, settings: { server: relay.url, uaProtocolId: '010001002f', reuseBootstrap: false } });
  const url = `${relay.url}/oemclient/nms/v1/ums/${encodeURIComponent('tel:+12065550100')}/vvmserviceProfile`;
  const req = { method: 'GET', url, headers: { 'User-Agent': '3gpp-gba' } };
  try {
    // Warm-up (module loading, first TLS-less connections), then measure.
    await auth.request(req);
    const measured: number[] = [];
    const probe: number[] = [];
    const bootstrap: number[] = [];
    const authed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const r = await auth.request(req);
      measured.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`relay answered ${r.status}`);
      // The parts on their own: probe (one relay round trip), bootstrap (+ NAF key: GBA_U asks the card),
      // and the authenticated request (one relay round trip).
      t = performance.now();
      await http.request(req);
      probe.push(performance.now() - t);
      t = performance.now();
      const s = await boot.bootstrap();
      await s.deriveNafKey(nafId);
      bootstrap.push(performance.now() - t);
      t = performance.now();
      await http.request(req);
      authed.push(performance.now() - t);
    }
    const p = median(probe);
    const b = median(bootstrap);
    const a = median(authed);
    // CONCURRENT requests at once (each needs its own bootstrap). The card section of one bootstrap is
    // GBA_ME: challenge round trip + AKA; GBA_U: challenge + AKA + answer + EF_GBABP write + NAF derivation
    // (services/gba/bootstrap.ts). Sections run one after another; the rest overlaps. Floor: N sections,
    // then what follows the last section (GBA_ME: the BSF answer; both: the authenticated request).
    const wall: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const rs = await Promise.all(Array.from({ length: CONCURRENT }, () => auth.request(req)));
      wall.push(performance.now() - t);
      if (rs.some((r) => r.status !== 200)) throw new Error('a concurrent request failed');
    }
    const section = gbaU ? 2 * RTT_MS + 3 * CARD_MS : RTT_MS + CARD_MS;
    const concFloor = CONCURRENT * section + (gbaU ? RTT_MS : 2 * RTT_MS);
    // What it was when a GBA_ME bootstrap held the card for both BSF round trips.
    const wholeBootstrapFloor = CONCURRENT * (2 * RTT_MS + CARD_MS) + RTT_MS;
    return { measured: median(measured), floor: Math.max(p, b) + a, sequential: p + b + a, concMeasured: median(wall), concFloor, wholeBootstrapFloor };
  } finally {
    await session.close();
    await reader.close();
    await relay.close();
    await bsf.close();
  }
}

/** Runs the benchmark for GBA_ME and GBA_U. */
export async function runGbaBench(): Promise<LinesBenchResult> {
  const lines = [`gba: one authenticated request, ${RTT_MS} ms round trip per HTTP request, ${CARD_MS} ms per card operation, median of ${RUNS}`];
  let ok = true;
  for (const gbaU of [false, true]) {
    const r = await one(gbaU);
    const ratio = r.measured / r.floor;
    ok &&= ratio <= 1.1;
    lines.push(
      `  ${gbaU ? 'GBA_U ' : 'GBA_ME'}  measured ${r.measured.toFixed(0)} ms | floor ${r.floor.toFixed(0)} ms | sequential ${r.sequential.toFixed(0)} ms | ` +
        `measured/floor ${ratio.toFixed(3)} (target <= 1.10) | measured/sequential ${(r.measured / r.sequential).toFixed(3)}`,
      `          ${CONCURRENT} at once: measured ${r.concMeasured.toFixed(0)} ms | card-section floor ${r.concFloor.toFixed(0)} ms | measured/floor ${(r.concMeasured / r.concFloor).toFixed(3)} (target <= 1.10)` +
        (gbaU ? '' : ` | floor if the whole bootstrap held the card ${r.wholeBootstrapFloor.toFixed(0)} ms (measured/that ${(r.concMeasured / r.wholeBootstrapFloor).toFixed(3)})`),
    );
    ok &&= r.concMeasured / r.concFloor <= 1.1;
  }
  return { name: 'gba', ok, lines };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runGbaBench();
  process.stdout.write(r.lines.join('\n') + '\n');
  process.exitCode = r.ok ? 0 : 1;
}
