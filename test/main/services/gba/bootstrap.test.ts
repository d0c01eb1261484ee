import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../../shared/bytes.js';
import { CancelledError, GbaError } from '../../../../main/errors.js';
import { buildNafId } from '../../../../main/protocol/gba/naf-id.js';
import { createGbaBootstrapper, resolveBsfUrl } from '../../../../main/services/gba/bootstrap.js';
import type { HttpPort } from '../../../../main/services/ports.js';
import type { SubscriberIdentity } from '../../../../main/services/contracts.js';
import { BAD_BODIES, BAD_CHALLENGES, clock, random, startRig, type GbaRig } from './harness.js';
import { EF_GBABP } from '../../../../main/protocol/uicc/files.js';

const NAF_ID = buildNafId('wsg.t-mobile.com', '010001002f');

let rig: GbaRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function gbaCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (e instanceof GbaError || e instanceof CancelledError) return e.code;
    throw e;
  }
}

describe('GBA bootstrap against the simulated BSF (in-process card, loopback HTTP)', () => {
  for (const gbaU of [false, true]) {
    const mode = gbaU ? 'GBA_U' : 'GBA_ME';
    it(`${mode}: the client's NAF key equals the network side's`, async () => {
      rig = await startRig({ profile: { gbaU } });
      const s = await rig.boot.bootstrap();
      expect(s.mode).toBe(mode);
      expect(s.btid).toMatch(/^[A-Za-z0-9+/]+=*@bsf\.msg\.pc\.t-mobile\.com$/);
      expect(s.expiresAt).toBeGreaterThan(Date.now());
      expect(s.bsf).toBe(rig.bsf.url);
      expect(s.resynced).toBe(false);
      expect(s.timings.requests).toBe(2);
      const client = await s.deriveNafKey(NAF_ID);
      const network = rig.bsf.keyStore.nafKey(s.btid, NAF_ID);
      expect(network).not.toBeNull();
      expect(toHex(client)).toBe(toHex(network ?? new Uint8Array()));
      expect(rig.bsf.log.map((l) => l.userAgent)).toEqual(gbaU ? ['3gpp-gba-uicc', '3gpp-gba-uicc'] : ['3gpp-gba', '3gpp-gba']);
      // Nothing secret is enumerable on the session, and the log has B-TID and timings only.
      const printed = JSON.stringify(s) + JSON.stringify(rig.logger.entries);
      expect(printed).not.toContain(toHex(client));
      expect(printed).toContain(s.btid);
      expect(printed).not.toMatch(/authorization|nonce|response=/i);
    });

    it(`${mode}: sync failure -> one resync round -> success`, async () => {
      rig = await startRig({ profile: { gbaU } });
      rig.bsf.setSqn(rig.profile.impi, new Uint8Array(6)); // SQN_HE behind the card's SQN_MS
      const s = await rig.boot.bootstrap();
      expect(s.resynced).toBe(true);
      expect(s.timings.requests).toBe(3);
      expect(toHex(await s.deriveNafKey(NAF_ID))).toBe(toHex(rig.bsf.keyStore.nafKey(s.btid, NAF_ID) ?? new Uint8Array()));
    });
  }

  it('GBA_U writes B-TID and lifetime to the card (EF_GBABP)', async () => {
    rig = await startRig({ profile: { gbaU: true } });
    const s = await rig.boot.bootstrap();
    expect(s.lifetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const bp = rig.uicc.readFile('ISIM', EF_GBABP.fid);
    if (bp === null) throw new Error('EF_GBABP missing on the simulated GBA_U card');
    const stored = EF_GBABP.decode(bp);
    expect(stored.btid).toBe(s.btid);
    expect(stored.lifetime).toBe(s.lifetime);
    expect((await s.deriveNafKey(NAF_ID)).length).toBe(32);
  });

  it('GBA_U: a session superseded by a newer bootstrap refuses to derive; keys asked for up front survive', async () => {
    rig = await startRig({ profile: { gbaU: true } });
    const early = await rig.boot.bootstrap({ nafIds: [NAF_ID] });
    const old = await rig.boot.bootstrap();
    const latest = await rig.boot.bootstrap();
    await expect(old.deriveNafKey(NAF_ID)).rejects.toMatchObject({ code: 'gba.bootstrapFailed', retryable: true });
    expect(toHex(await latest.deriveNafKey(NAF_ID))).toBe(toHex(rig.bsf.keyStore.nafKey(latest.btid, NAF_ID) ?? new Uint8Array()));
    expect(toHex(await early.deriveNafKey(NAF_ID))).toBe(toHex(rig.bsf.keyStore.nafKey(early.btid, NAF_ID) ?? new Uint8Array()));
  });

  it('concurrent bootstraps on one card: GBA_U fully serialised, GBA_ME overlaps only the answer round trips', async () => {
    for (const gbaU of [false, true]) {
      rig = await startRig({ profile: { gbaU }, bsf: { latencyMs: 20 } });
      const r = rig;
      // Count BSF requests in flight, and separately the challenge requests (empty response="").
      const flight = { all: 0, challenges: 0, maxAll: 0, maxChallenges: 0 };
      const http: HttpPort = {
        async request(req, signal) {
          const challenge = /response=""/.test(req.headers['Authorization'] ?? '');
          flight.all++;
          if (challenge) flight.challenges++;
          flight.maxAll = Math.max(flight.maxAll, flight.all);
          flight.maxChallenges = Math.max(flight.maxChallenges, flight.challenges);
          try {
            return await r.http.request(req, signal);
          } finally {
            flight.all--;
            if (challenge) flight.challenges--;
          }
        },
      };
      const boot = createGbaBootstrapper({ card: r.card, http, clock, random, logger: r.logger, settings: { bsf: r.bsf.url } });
      const sessions = await Promise.all([1, 2, 3, 4].map(() => boot.bootstrap({ nafIds: [NAF_ID] })));
      expect(new Set(sessions.map((s) => s.btid)).size).toBe(4);
      for (const s of sessions) expect(toHex(await s.deriveNafKey(NAF_ID))).toBe(toHex(r.bsf.keyStore.nafKey(s.btid, NAF_ID) ?? new Uint8Array()));
      // Challenges are fetched one at a time, each used by the card before the next (SQN order): no resync.
      expect(flight.maxChallenges).toBe(1);
      expect(sessions.map((s) => s.resynced)).toEqual([false, false, false, false]);
      // GBA_U holds the card from challenge to NAF derivation; GBA_ME lets answers overlap the next challenge.
      if (gbaU) expect(flight.maxAll).toBe(1);
      else expect(flight.maxAll).toBeGreaterThanOrEqual(2);
      expect(r.bsf.log).toHaveLength(8);
      await rig.close();
      rig = null;
    }
  });

  it('sends X-TMUS-IMEI when configured', async () => {
    rig = await startRig({ settings: { imei: '359000000000000' } });
    await rig.boot.bootstrap();
    expect(rig.bsf.log.map((l) => l.imei)).toEqual(['359000000000000', '359000000000000']);
    await rig.close();
    rig = await startRig();
    await rig.boot.bootstrap();
    expect(rig.bsf.log.map((l) => l.imei)).toEqual([undefined, undefined]);
  });

  it('resync that does not converge -> gba.syncFailure', async () => {
    rig = await startRig();
    rig.bsf.inject({ action: { kind: 'staleSqn' }, times: 2 });
    expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.syncFailure');
    expect(rig.bsf.log).toHaveLength(2);
  });

  it('AKA MAC failure -> gba.networkNotAuthentic, no digest sent', async () => {
    rig = await startRig();
    rig.bsf.inject({ action: { kind: 'corruptAutn' } });
    expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.networkNotAuthentic');
    expect(rig.bsf.log).toHaveLength(1);
  });

  it('GBA_U MAC failure too', async () => {
    rig = await startRig({ profile: { gbaU: true } });
    rig.bsf.inject({ action: { kind: 'corruptAutn' } });
    expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.networkNotAuthentic');
  });

  it('wrong rspauth -> gba.networkNotAuthentic; missing rspauth is accepted', async () => {
    rig = await startRig();
    rig.bsf.inject({ action: { kind: 'badRspauth' } });
    expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.networkNotAuthentic');
    rig.bsf.inject({ action: { kind: 'noRspauth' } });
    expect((await rig.boot.bootstrap()).btid).toContain('@');
  });

  it('unknown IMPI -> gba.bsfRefused with the status', async () => {
    rig = await startRig({ bsfKnowsCard: false });
    const e = await rig.boot.bootstrap().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GbaError);
    expect((e as GbaError).code).toBe('gba.bsfRefused');
    expect((e as GbaError).detail).toMatchObject({ status: 404, bsf: rig.bsf.url });
  });

  it('BSF 5xx -> gba.bsfRefused, retryable', async () => {
    rig = await startRig();
    rig.bsf.inject({ action: { kind: 'status', status: 503 } });
    const e = await rig.boot.bootstrap().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'gba.bsfRefused', retryable: true });
  });

  it('BSF rejects the AKA answer -> gba.bootstrapFailed', async () => {
    rig = await startRig();
    rig.bsf.inject({ stage: 'answer', action: { kind: 'status', status: 401 } });
    expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.bootstrapFailed');
  });

  it('BSF drops the connection or hangs -> gba.bsfUnreachable naming the BSF', async () => {
    rig = await startRig({ readTimeoutMs: 300 });
    rig.bsf.inject({ action: { kind: 'drop' } });
    const dropped = await rig.boot.bootstrap().catch((x: unknown) => x);
    expect(dropped).toMatchObject({ code: 'gba.bsfUnreachable', detail: { bsf: rig.bsf.url } });
    rig.bsf.inject({ stage: 'answer', action: { kind: 'hang' } });
    const hung = await rig.boot.bootstrap().catch((x: unknown) => x);
    expect(hung).toMatchObject({ code: 'gba.bsfUnreachable', detail: { cause: 'net.timeout' } });
  });

  it('BSF not listening -> gba.bsfUnreachable', async () => {
    rig = await startRig();
    const url = rig.bsf.url;
    await rig.bsf.close();
    const e = await rig.boot.bootstrap().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'gba.bsfUnreachable', detail: { bsf: url, cause: 'net.offline' } });
  });

  it('cancellation through the signal -> CancelledError', async () => {
    rig = await startRig({ bsf: { latencyMs: 200 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await gbaCode(rig.boot.bootstrap({ signal: ac.signal }))).toBe('op.cancelled');
  });

  it('reports progress phases', async () => {
    rig = await startRig();
    const phases: string[] = [];
    await rig.boot.bootstrap({ onProgress: (p) => phases.push(p.phase) });
    expect(phases).toEqual(['gba.request', 'gba.card', 'gba.response']);
  });

  for (const [name, values] of BAD_CHALLENGES) {
    it(`malformed challenge: ${name} -> gba.malformed`, async () => {
      rig = await startRig();
      rig.bsf.inject({ stage: 'challenge', action: { kind: 'challenge', values } });
      expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.malformed');
    });
  }

  for (const [name, body, contentType] of BAD_BODIES) {
    it(`malformed BootstrappingInfo: ${name} -> gba.malformed`, async () => {
      rig = await startRig();
      rig.bsf.inject({ action: { kind: 'body', body, ...(contentType !== undefined && { contentType }) } });
      expect(await gbaCode(rig.boot.bootstrap())).toBe('gba.malformed');
    });
  }
});

describe('resolveBsfUrl (settings.bsf)', () => {
  const isim: SubscriberIdentity = { app: 'ISIM', impi: '310260123456789@msg.pc.t-mobile.com', impu: [], domain: null, msisdn: null, imsi: null, mcc: null, mnc: null, gba: 'GBA_ME' };
  it('default, explicit, derived from the IMPI, derived from MCC/MNC', () => {
    expect(resolveBsfUrl('default', isim)).toBe('https://bsf.msg.pc.t-mobile.com/');
    expect(resolveBsfUrl('http://127.0.0.1:8080/', isim)).toBe('http://127.0.0.1:8080/');
    expect(resolveBsfUrl('derive', isim)).toBe('https://bsf.msg.pc.t-mobile.com/');
    expect(resolveBsfUrl('derive', { ...isim, app: 'USIM', impi: '310260123456789@ims.mnc260.mcc310.3gppnetwork.org', mcc: '310', mnc: '260' })).toBe('https://bsf.mnc260.mcc310.pub.3gppnetwork.org/');
  });
  it('an IMPI without a domain cannot be derived', () => {
    expect(() => resolveBsfUrl('derive', { ...isim, impi: 'nodomain' })).toThrow(GbaError);
  });
});
