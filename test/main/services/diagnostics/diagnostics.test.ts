// The diagnostics steps (shared by `vvm-desk doctor` and the window's Diagnostics view) against the
// simulated SIM and carrier: every step passes on a working chain; a SIM that wants its PIN, and a
// relay that is not there, each stop the run at the right step with the action to take. The request log
// beside it keeps no header, body or query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMstoreSession, startDemoCarrier, type DemoCarrier } from '../../../../main/app.js';
import { createDesktopPinSource } from '../../../../main/adapters/keychain/keychain-pin-source.js';
import { CHECKS, runDiagnostics, STEP_IDS, type StepResult } from '../../../../main/services/diagnostics/diagnostics.js';
import { createRequestLog, loggableUrl } from '../../../../main/services/diagnostics/request-log.js';
import { memoryPinStore } from '../../../../main/web-harness/run.js';
import { InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { defaultSettings } from '../../../../shared/settings.js';

let work: string;
let carrier: DemoCarrier;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vvm-diag-'));
  carrier = await startDemoCarrier(join(work, 'demo'), defaultSettings());
});
afterAll(async () => {
  await carrier?.close();
  rmSync(work, { recursive: true, force: true });
});

async function session(opts: { pin?: string; server?: string; nafFqdn?: string } = {}) {
  const card = new SimulatedUicc({ ...carrier.card.profile, ...(opts.pin !== undefined && { pin: opts.pin }) });
  const requestLog = createRequestLog({ now: () => Date.now(), monotonic: () => performance.now() });
  const s = await openMstoreSession({
    settings: { ...defaultSettings(), server: opts.server ?? carrier.relay.url, bsf: carrier.bsf.url, ...(opts.nafFqdn !== undefined && { nafFqdn: opts.nafFqdn }) },
    demo: false,
    env: {},
    pinSource: createDesktopPinSource(memoryPinStore()),
    readers: async () => new InProcessCardReader(card),
    requestLog,
  });
  return { s, requestLog };
}

describe('diagnostics', () => {
  it('passes every step on a working chain, reporting each as it starts and ends', async () => {
    const { s, requestLog } = await session();
    try {
      const events: string[] = [];
      const r = await runDiagnostics(s.diagnosticsTarget(), { onStep: (i, id, res) => events.push(`${i}:${id}:${res ? res.status : 'running'}`) });
      expect(r.ok).toBe(true);
      expect(r.steps.map((x) => [x.id, x.status])).toEqual(STEP_IDS.map((id) => [id, 'ok']));
      expect(events).toEqual(STEP_IDS.flatMap((id, i) => [`${i}:${id}:running`, `${i}:${id}:ok`]));
      expect(r.steps.find((x) => x.id === 'relay')?.detail).toContain('3GPP-bootstrapping@');
      // The request log saw the BSF and the relay, and kept nothing but method, URL path, status, time.
      const log = requestLog.entries();
      expect(log.some((e) => e.url.startsWith(new URL(carrier.bsf.url).origin))).toBe(true);
      expect(log.some((e) => e.status === 401)).toBe(true);
      for (const e of log) expect(Object.keys(e).sort()).toEqual(['at', 'method', 'ms', 'status', 'url']);
      expect(JSON.stringify(log)).not.toMatch(/Digest|nonce|response=|Authorization|\?/);
    } finally {
      await s.close();
    }
  });

  it('a SIM that wants its PIN stops the run at the PIN step with "enter the PIN"; later steps are skipped', async () => {
    const { s } = await session({ pin: '2468' });
    try {
      const r = await runDiagnostics(s.diagnosticsTarget());
      expect(r.ok).toBe(false);
      const pin = r.steps.find((x) => x.id === 'pin') as StepResult;
      expect(pin).toMatchObject({ status: 'failed', error: { code: 'card.pinRequired', action: 'enterSimPin' } });
      expect(r.steps.slice(0, 3).every((x) => x.status === 'ok')).toBe(true);
      expect(r.steps.slice(4).every((x) => x.status === 'skipped' && x.detail === '')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('a relay that is not there fails the server step, with a network error and its action', async () => {
    const { s, requestLog } = await session({ server: 'https://127.0.0.1:9/phone20/mStoreRelay' });
    try {
      const r = await runDiagnostics(s.diagnosticsTarget());
      const relay = r.steps.find((x) => x.id === 'relay');
      expect(relay).toMatchObject({ status: 'failed', error: { code: 'net.offline' } });
      expect(r.steps.filter((x) => x.status === 'ok').map((x) => x.id)).toEqual(STEP_IDS.slice(0, STEP_IDS.indexOf('relay')));
      expect(requestLog.entries().at(-1)).toMatchObject({ url: 'https://127.0.0.1:9/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B12065550100/vvmserviceProfile', status: null, error: 'net.offline' });
    } finally {
      await s.close();
    }
  });

  it('the NAF identity is its own step: the realm of the host reached, or a mismatch with the override and its action', async () => {
    const local = await session({ server: carrier.relay.urlAt('localhost') });
    try {
      const r = await runDiagnostics(local.s.diagnosticsTarget());
      expect(r.ok).toBe(true);
      expect(r.steps.find((x) => x.id === 'realm')?.detail).toBe('realm 3GPP-bootstrapping@localhost matches NAF localhost (the server’s host)');
    } finally {
      await local.s.close();
    }
    const other = await session({ nafFqdn: 'wsg.t-mobile.com' });
    try {
      const r = await runDiagnostics(other.s.diagnosticsTarget());
      expect(r.steps.find((x) => x.id === 'relay')?.status).toBe('ok');
      expect(r.steps.find((x) => x.id === 'realm')).toMatchObject({ status: 'failed', error: { code: 'gba.realmMismatch', action: 'setNafFqdn', detail: { realm: '3GPP-bootstrapping@127.0.0.1', expectedRealm: '3GPP-bootstrapping@wsg.t-mobile.com' } } });
      expect(r.steps.find((x) => x.id === 'profile')?.status).toBe('skipped');
    } finally {
      await other.s.close();
    }
  });

  it('keeps the step order and titles one list', () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...STEP_IDS]);
    expect(new Set(CHECKS.map((c) => c.title)).size).toBe(CHECKS.length);
  });
});

describe('request log', () => {
  it('keeps scheme, host and path only, and the last N entries', async () => {
    expect(loggableUrl('https://user:pw@relay.example:8443/a/b?path=%2Fsecret#x')).toBe('https://relay.example:8443/a/b');
    expect(loggableUrl('not a url')).toBe('(invalid URL)');
    const log = createRequestLog({ now: () => 0, monotonic: () => 0 }, 3);
    const http = log.wrap({ request: async (req) => ({ status: req.url.endsWith('7') ? 404 : 200, statusText: '', headers: {}, body: new Uint8Array() }) });
    for (let i = 0; i < 8; i++) await http.request({ method: 'GET', url: `https://h/x${i}`, headers: { Authorization: 'Digest secret' } });
    expect(log.entries().map((e) => [e.url, e.status])).toEqual([
      ['https://h/x5', 200],
      ['https://h/x6', 200],
      ['https://h/x7', 404],
    ]);
  });
});
