// Shared set-up for mstore service tests: the simulated relay on loopback, the real HTTP adapter, a
// fixed-key authenticator, and the client under test.
import { createNodeHttp } from '../../../../main/adapters/http/node-http.js';
import { startRelay, type RelayHandle, type RelayOptions } from '../../../../main/sim/carrier/relay.js';
import type { ScenarioInput } from '../../../../main/sim/carrier/scenario.js';
import { MstoreClient } from '../../../../main/services/mstore/client.js';
import { fixedKey, fixedKeyAuth, type AuthCounters } from '../../../support/mstore-fixed-key.js';
import type { Clock, Random } from '../../../../main/services/ports.js';
import { randomBytes } from 'node:crypto';

export const MSISDN = '+12065550100';

/** `n` AMR-NB frames of mode 7 (12.2 kbit/s): a structurally valid file of n x 20 ms. */
export function syntheticAmr(frames: number, fill = 0): Uint8Array {
  const out = new Uint8Array(6 + frames * 32);
  out.set([0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a]);
  for (let i = 0; i < frames; i++) {
    out[6 + i * 32] = 0x3c;
    out.fill((fill + i) & 0xff, 6 + i * 32 + 1, 6 + (i + 1) * 32);
  }
  return out;
}

/** `count` voicemails a minute apart, newest first, each with distinct audio. */
export function voicemails(count: number): ScenarioInput['voicemails'] {
  return Array.from({ length: count }, (_, i) => ({
    from: `1206555${String(1000 + i)}`,
    date: new Date(Date.UTC(2026, 10, 1, 12, 0) - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    read: i % 3 === 0,
    audioBase64: Buffer.from(syntheticAmr(50 + i, i)).toString('base64'),
  }));
}

export const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
export const random: Random = { bytes: (n) => new Uint8Array(randomBytes(n)) };

/** A relay plus a client talking to it. */
export interface Harness {
  relay: RelayHandle;
  client: MstoreClient;
  counters: AuthCounters;
  close(): Promise<void>;
}

export async function harness(scenario: Partial<ScenarioInput> = {}, relayOpts: Partial<RelayOptions> = {}, tlsCa?: { caPem: string; keyPem: string; certPem: string }): Promise<Harness> {
  const key = fixedKey();
  const relay = await startRelay({
    // By default the relay's URLs name the production public host and backend, not the loopback address the
    // client reaches it at (as a real deployment behind an alias would): the client must use only their paths.
    scenario: { msisdn: MSISDN, urls: { publicOrigin: 'https://wsg.t-mobile.com:443', backendOrigin: 'http://wsg.mstore.msg.eng.t-mobile.com:8082' }, ...scenario },
    nafKey: key.nafKey,
    ...(tlsCa && { tls: { key: tlsCa.keyPem, cert: tlsCa.certPem } }),
    ...relayOpts,
  });
  const http = createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 5000, maxResponseBytes: 4 * 1024 * 1024, ...(tlsCa?.caPem && { caPem: [tlsCa.caPem] }) });
  const auth = fixedKeyAuth(http, key);
  const client = new MstoreClient({ http: auth, server: relay.url, msisdn: () => Promise.resolve(MSISDN), clock, random });
  return { relay, client, counters: auth.counters, close: () => relay.close() };
}
