// Shared set-up for the GBA service tests: the in-process simulated card (SimulatedUicc + CardSession)
// and the simulated BSF over real loopback sockets, with the real node-http adapter.
import { randomBytes } from 'node:crypto';
import { createNodeHttp } from '../../../../main/adapters/http/node-http.js';
import { startBsf, type BsfOptions, type SimBsf } from '../../../../main/sim/carrier/bsf.js';
import { demoProfile, simSubscriber, type SimProfile, type SimProfileInput } from '../../../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { DEMO_READER_NAME, InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { CardSession } from '../../../../main/services/card/card-session.js';
import { createGbaBootstrapper, type GbaBootstrapper } from '../../../../main/services/gba/bootstrap.js';
import type { Clock, HttpPort, Logger, Random } from '../../../../main/services/ports.js';
import type { Settings } from '../../../../shared/settings.js';

/** A logger that keeps every entry (tests check that nothing secret is logged). */
export function memoryLogger(): Logger & { entries: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const entries: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => entries.push({ level, msg, ...(fields !== undefined && { fields }) });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
export const random: Random = { bytes: (n) => new Uint8Array(randomBytes(n)) };
export const BSF_REALM = 'bsf.msg.pc.t-mobile.com';

export interface GbaRig {
  profile: SimProfile;
  uicc: SimulatedUicc;
  card: CardSession;
  bsf: SimBsf;
  http: HttpPort;
  logger: ReturnType<typeof memoryLogger>;
  boot: GbaBootstrapper;
  close(): Promise<void>;
}

/** Starts a card and a BSF that knows it (unless `bsfKnowsCard` is false). */
export async function startRig(o: { profile?: Partial<SimProfileInput>; bsf?: Partial<BsfOptions>; settings?: Partial<Pick<Settings, 'bsf' | 'imei'>>; bsfKnowsCard?: boolean; readTimeoutMs?: number } = {}): Promise<GbaRig> {
  const profile = demoProfile(o.profile ?? {});
  const uicc = new SimulatedUicc(profile);
  const reader = new InProcessCardReader(uicc);
  const port = await reader.connect(DEMO_READER_NAME);
  const card = await CardSession.open(port);
  const bsf = await startBsf({ subscribers: o.bsfKnowsCard === false ? [] : [simSubscriber(profile)], realm: BSF_REALM, ...o.bsf });
  const http = createNodeHttp({ connectTimeoutMs: 2000, readTimeoutMs: o.readTimeoutMs ?? 5000, maxResponseBytes: 1 << 20, ...(o.bsf?.tls === undefined ? {} : {}) });
  const logger = memoryLogger();
  const boot = createGbaBootstrapper({ card, http, clock, random, logger, settings: { bsf: bsf.url, ...o.settings } });
  return {
    profile,
    uicc,
    card,
    bsf,
    http,
    logger,
    boot,
    async close() {
      await card.close();
      await reader.close();
      await bsf.close();
    },
  };
}

/** Malformed BSF challenges (WWW-Authenticate values): each must give gba.malformed. */
export const BAD_CHALLENGES: ReadonlyArray<[string, string[]]> = [
  ['no Digest', ['Basic realm="x"']],
  ['no nonce', ['Digest realm="r", algorithm=AKAv1-MD5, qop="auth-int"']],
  ['nonce not base64', ['Digest realm="r", nonce="!!!", algorithm=AKAv1-MD5, qop="auth-int"']],
  ['nonce too short', ['Digest realm="r", nonce="AAAA", algorithm=AKAv1-MD5, qop="auth-int"']],
  ['not AKA', ['Digest realm="r", nonce="' + 'A'.repeat(44) + '", algorithm=MD5, qop="auth-int"']],
  ['unterminated quote', ['Digest realm="r, nonce="x']],
  ['duplicate nonce', ['Digest realm="r", nonce="' + 'A'.repeat(44) + '", nonce="' + 'B'.repeat(44) + '", algorithm=AKAv1-MD5']],
  ['huge header', ['Digest realm="' + 'r'.repeat(20_000) + '"']],
  ['empty', ['']],
  ['no header at all', []],
  ['unknown qop only', ['Digest realm="r", nonce="' + 'A'.repeat(44) + '", algorithm=AKAv1-MD5, qop="auth-conf"']],
];

/** Malformed BootstrappingInfo answers (body, content type): each must give gba.malformed. */
export const BAD_BODIES: ReadonlyArray<[string, string, string?]> = [
  ['not XML', 'hello'],
  ['wrong namespace', '<BootstrappingInfo xmlns="urn:x"><btid>QQ==@b.org</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>'],
  ['DOCTYPE', '<!DOCTYPE x [<!ENTITY e "e">]><BootstrappingInfo xmlns="uri:3gpp-gba"><btid>QQ==@b.org</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>'],
  ['missing lifetime', '<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>QQ==@b.org</btid></BootstrappingInfo>'],
  ['bad lifetime', '<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>QQ==@b.org</btid><lifetime>soon</lifetime></BootstrappingInfo>'],
  ['bad B-TID', '<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>x y</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>'],
  ['wrong content type', '<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>QQ==@b.org</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>', 'text/html'],
];
