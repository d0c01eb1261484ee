// Demo mode's simulated carrier over a long session (issue 11: the BSF kept every request forever, the
// heap grew about 2.3 KB per call). Heap growth per call of the simulated relay and BSF with their
// bounded request logs (the default), against the same carrier keeping every entry, measured in the same
// run: the ratio must stay small. Each call is what demo mode does: a relay probe and its authenticated
// request (the nonce is spent), and a BSF request. The heap is measured after a forced GC.
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import { startBsf } from '../../main/sim/carrier/bsf.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import type { BenchResult } from './bench-result.js';

const KEY = new Uint8Array(32).fill(7);
const BTID = 'AAAAAAAAAAAAAAAAAAAAAA==@bsf.bench';
const TARGET = '/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B12065550100/vvmserviceProfile';
const WARMUP = 1200;
const CALLS = 2000;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** A full GC on demand, with or without `node --expose-gc` (the runner starts plain node). */
function forcedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    s.setEncoding('latin1');
    s.on('data', (c: string) => (text += c));
    s.on('end', () => resolve(text));
    s.on('error', () => resolve(text));
    s.end(`${head}\r\n\r\n`);
  });
}

/** Probe, then the authenticated request with a digest computed here (RFC 7616, MD5, qop auth). */
async function relayCall(relay: RelayHandle): Promise<void> {
  const host = `127.0.0.1:${relay.port}`;
  const base = `GET ${TARGET} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: 3gpp-gba`;
  const probe = await raw(relay.port, base);
  const nonce = /nonce="([^"]+)"/.exec(probe)?.[1] ?? '';
  const opaque = /opaque="([^"]+)"/.exec(probe)?.[1] ?? '';
  const realm = /realm="([^"]+)"/.exec(probe)?.[1] ?? '';
  const uri = decodeURIComponent(`http://${host}${TARGET}`);
  const ha1 = md5(`${BTID}:${realm}:${Buffer.from(KEY).toString('base64')}`);
  const response = md5(`${ha1}:${nonce}:00000001:c0ffee:auth:${md5(`GET:${uri}`)}`);
  const ok = await raw(relay.port, `${base}\r\nAuthorization: Digest username="${BTID}",realm="${realm}",nonce="${nonce}",uri="${uri}",response="${response}",algorithm="MD5",cnonce="c0ffee",opaque="${opaque}",qop="auth",nc=00000001`);
  if (!ok.startsWith('HTTP/1.0 200')) throw new Error(`the relay refused the bench's digest: ${ok.slice(0, 40)}`);
}

async function growthPerCall(maxLogEntries: number | undefined): Promise<number> {
  const relay = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: (b) => (b === BTID ? KEY : null), ...(maxLogEntries !== undefined && { maxLogEntries }) });
  const bsf = await startBsf({ subscribers: [], ...(maxLogEntries !== undefined && { maxLogEntries }) });
  const gc = forcedGc();
  const bsfPort = Number(new URL(bsf.url).port);
  const bsfCall = () => raw(bsfPort, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nUser-Agent: 3gpp-gba\r\nAuthorization: Digest username="nobody@bench", realm="x", nonce="", uri="/", response=""`);
  try {
    for (let i = 0; i < WARMUP; i++) await Promise.all([relayCall(relay), bsfCall()]);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < CALLS; i++) await Promise.all([relayCall(relay), bsfCall()]);
    gc();
    return (process.memoryUsage().heapUsed - before) / CALLS;
  } finally {
    await relay.close();
    await bsf.close();
  }
}

/** Heap growth per call, bounded (default) vs keeping every log entry. */
export async function bench(): Promise<BenchResult[]> {
  const unbounded = await growthPerCall(Number.POSITIVE_INFINITY);
  const bounded = await growthPerCall(undefined);
  const ratio = unbounded > 0 ? Math.max(0, bounded) / unbounded : 0;
  const note = 'after a forced GC';
  return [
    { name: 'sim carrier: heap growth per call, every log entry kept (baseline)', value: Math.round(unbounded), unit: 'B/call', note },
    { name: 'sim carrier: heap growth per call, bounded logs (default) / baseline', value: ratio, unit: 'x', target: '<= 0.25', ok: ratio <= 0.25, note: `${Math.round(bounded)} B/call after ${WARMUP + CALLS} calls` },
  ];
}
