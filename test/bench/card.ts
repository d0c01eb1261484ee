// Card benchmarks: APDUs and time for `card info` (a whole card session: channel, EF_DIR, ICCID, ISIM,
// IMPI, domain, IMPUs, IST) and for one AKA, in-process and through the real stack (pcsclite -> pcscd ->
// vpcd -> simulated card) with T=1 and T=0. Target: the minimum APDU count (no repeated SELECT/READ).
// Through vpcd each APDU costs roughly 40-50 ms on loopback (vpcd's framing meets TCP delayed ACK), so
// real-stack time is dominated by the APDU count, which is what the target bounds.
import { fromHex } from '../../shared/bytes.js';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { CardService } from '../../main/services/card/card-service.js';
import { NO_PIN } from '../../main/services/card/pin-source.js';
import type { CardReaderPort } from '../../main/services/ports.js';
import { InProcessCardReader } from '../../main/sim/card/in-process-reader.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { buildAutn } from '../../main/protocol/milenage.js';
import { startPcscd, VPCD_READERS } from '../support/pcscd.js';
import type { BenchResult } from './bench-result.js';

/** APDUs of `card info` on the demo ISIM: channel 1, EF_DIR 1+1, ICCID 2, ISIM 1, IMPI 2, domain 2, IMPU 1+3, IST 2, close 1. */
const MIN_INFO_APDUS_T1 = 17;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function measure(readers: CardReaderPort, reader: string, card: SimulatedUicc, runs: number, label: string, apduTarget: number | null): Promise<BenchResult[]> {
  const svc = new CardService(readers, { pinSource: NO_PIN, reader });
  const sub = simSubscriber(card.profile);
  const rand = fromHex('23553cbe9637a89d218ae64dae47bf35');
  const infoMs: number[] = [];
  const akaMs: number[] = [];
  let infoApdus = 0;
  let akaApdus = 0;
  let sqn = 0x1000;
  for (let i = 0; i < runs; i++) {
    const before = card.apduCount;
    const t0 = performance.now();
    await svc.info();
    infoMs.push(performance.now() - t0);
    infoApdus = card.apduCount - before;
    await svc.withSession(async (s) => {
      const autn = buildAutn(sub.k, sub.opc, rand, fromHex((sqn += 32).toString(16).padStart(12, '0')), fromHex('8000'));
      const b = card.apduCount;
      const t = performance.now();
      const out = await s.authenticate(rand, autn);
      akaMs.push(performance.now() - t);
      akaApdus = card.apduCount - b;
      if (out.kind !== 'ok') throw new Error(`AKA did not succeed (${out.kind})`);
    });
  }
  await svc.close();
  return [
    { name: `card info, ${label}`, value: infoApdus, unit: 'APDUs', ...(apduTarget !== null && { target: `<= ${apduTarget}`, ok: infoApdus <= apduTarget }) },
    { name: `card info, ${label}`, value: median(infoMs), unit: 'ms', note: `median of ${runs}` },
    { name: `one AKA, ${label}`, value: akaApdus, unit: 'APDUs', target: label.includes('T=0') ? '<= 2' : '1', ok: akaApdus <= (label.includes('T=0') ? 2 : 1) },
    { name: `one AKA, ${label}`, value: median(akaMs), unit: 'ms', note: `median of ${runs}` },
  ];
}

/** The card benchmarks. The real-stack rows need pcscd and vpcd (they report a failure otherwise). */
export async function bench(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const demo = new SimulatedUicc(demoProfile());
  rows.push(...(await measure(new InProcessCardReader(demo), 'VVM Desk demo reader', demo, 50, 'in-process T=1', MIN_INFO_APDUS_T1)));
  let harness;
  try {
    harness = await startPcscd();
  } catch (e) {
    rows.push({ name: 'real stack (pcscd + vpcd)', value: 0, unit: '', ok: false, note: e instanceof Error ? e.message : String(e) });
    return rows;
  }
  try {
    for (const protocol of ['T1', 'T0'] as const) {
      const card = new SimulatedUicc(demoProfile(), { protocol });
      const att = await harness.attach(card, 0);
      const port = new PcscReaderPort();
      try {
        rows.push(...(await measure(port, VPCD_READERS[0], card, 10, `pcscd+vpcd ${protocol === 'T1' ? 'T=1' : 'T=0'}`, protocol === 'T1' ? MIN_INFO_APDUS_T1 : null)));
      } finally {
        await port.close();
        await att.remove();
      }
    }
  } finally {
    await harness.release();
  }
  return rows;
}
