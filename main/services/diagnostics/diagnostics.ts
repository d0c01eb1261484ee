// The chain a voicemail request needs, checked link by link in order: the smart-card service, the
// reader, the card, its PIN, the ISIM, the identities, the BSF, a GBA bootstrap, the relay's digest
// challenge and an authenticated profile read. It stops at the first broken link and says what to do
// (AppError.action, worded by each front end). The CLI's `doctor` and the window's Diagnostics view
// both run these steps. Never reports a secret: details name hosts, modes and identities only.
import { DIAGNOSTIC_STEPS, stepTitle, type DiagnosticStepId } from '../../../shared/diagnostics.js';
import type { AppError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import { AppConfigError, HttpError, throwIfAborted, toAppError } from '../../errors.js';
import { profileUrl, umsBase } from '../../protocol/mstore/urls.js';
import { pickReader } from '../card/card-service.js';
import type { CardSession } from '../card/card-session.js';
import { resolveBsfUrl, type GbaBootstrapper } from '../gba/bootstrap.js';
import { checkNafRealm, describeNafRealm } from '../gba/naf-realm.js';
import { USER_AGENT, type MstoreClient } from '../mstore/client.js';
import type { HttpPort, ReaderInfo } from '../ports.js';

/** What the steps need: an mstore session's parts (main/app/mstore.ts builds one). */
export interface DiagnosticsTarget {
  settings: Settings;
  /** The built-in simulated SIM and carrier. */
  demo: boolean;
  listReaders(signal?: AbortSignal): Promise<ReaderInfo[]>;
  cardSession(signal?: AbortSignal): Promise<CardSession>;
  bootstrapper(signal?: AbortSignal): Promise<GbaBootstrapper>;
  http: HttpPort;
  client: MstoreClient;
}

/** The steps, in order. */
export const STEP_IDS: readonly DiagnosticStepId[] = DIAGNOSTIC_STEPS.map((s) => s.id);
/** One of {@link STEP_IDS}. */
export type StepId = DiagnosticStepId;

/** A step's outcome. `skipped`: an earlier step failed. */
export interface StepResult {
  id: StepId;
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  /** What was found (ok) or what failed (failed); empty when skipped. */
  detail: string;
  error?: AppError;
}

/** The whole run. */
export interface DiagnosticsResult {
  ok: boolean;
  steps: StepResult[];
}

type Check = { id: StepId; title: string; run: (t: DiagnosticsTarget, signal: AbortSignal | undefined) => Promise<string> };

function msisdnOf(t: DiagnosticsTarget, id: { msisdn: string | null }): string {
  const msisdn = t.settings.msisdn ?? id.msisdn;
  if (msisdn === null) throw new AppConfigError('config.invalid', 'The card has no phone number (no tel: IMPU)', { hint: 'Give the phone number explicitly.', action: 'setPhoneNumber' });
  return msisdn;
}

/** The checks, in order; each returns what it found or throws the error that stops the run. */
export const CHECKS: readonly Check[] = [
  {
    id: 'service',
    title: stepTitle('service'),
    run: async (t, signal) => {
      const readers = await t.listReaders(signal);
      return t.demo ? 'the demo’s built-in reader (no smart-card service needed)' : `the smart-card service answers (${readers.length} reader${readers.length === 1 ? '' : 's'})`;
    },
  },
  {
    id: 'reader',
    title: stepTitle('reader'),
    run: async (t, signal) => {
      const readers = await t.listReaders(signal);
      if (readers.length === 0) pickReader(readers, t.settings.reader);
      return readers.map((r) => `${r.name}${r.cardPresent ? ' (card in it)' : ''}`).join('; ');
    },
  },
  { id: 'card', title: stepTitle('card'), run: async (t, signal) => pickReader(await t.listReaders(signal), t.settings.reader).name },
  {
    id: 'pin',
    title: stepTitle('pin'),
    run: async (t, signal) => {
      const pin = (await t.cardSession(signal)).info().pin;
      return pin.enabled ? 'entered' : 'not needed (the PIN is off)';
    },
  },
  {
    id: 'isim',
    title: stepTitle('isim'),
    run: async (t, signal) => {
      const id = (await t.cardSession(signal)).identity;
      return id.app === 'ISIM' ? `ISIM present (${id.gba})` : 'no ISIM: using the USIM (TS 23.003 13.3 identity); the carrier may refuse it';
    },
  },
  {
    id: 'identity',
    title: stepTitle('identity'),
    run: async (t, signal) => {
      const id = (await t.cardSession(signal)).identity;
      return `IMPI ${id.impi}, number ${msisdnOf(t, id)}${t.settings.msisdn ? ' (from the settings)' : ''}`;
    },
  },
  {
    id: 'bsf',
    title: stepTitle('bsf'),
    run: async (t, signal) => {
      const url = resolveBsfUrl(t.settings.bsf, (await t.cardSession(signal)).identity);
      const r = await t.http.request({ method: 'GET', url, headers: { 'User-Agent': USER_AGENT } }, signal);
      return `${new URL(url).host} answered ${r.status}`;
    },
  },
  {
    id: 'bootstrap',
    title: stepTitle('bootstrap'),
    run: async (t, signal) => {
      const g = await (await t.bootstrapper(signal)).bootstrap(signal ? { signal } : {});
      return `${g.mode} with ${new URL(g.bsf).host} in ${Math.round(g.timings.totalMs)} ms${g.resynced ? ' (after a resync)' : ''}, key valid until ${g.lifetime}`;
    },
  },
  {
    id: 'relay',
    title: stepTitle('relay'),
    run: async (t, signal) => {
      const id = (await t.cardSession(signal)).identity;
      const url = profileUrl(umsBase(t.settings.server, msisdnOf(t, id)));
      const r = await t.http.request({ method: 'GET', url, headers: { 'User-Agent': USER_AGENT } }, signal);
      const wa = r.headers['www-authenticate']?.[0] ?? '';
      if (r.status !== 401 || !/^Digest\s/i.test(wa)) {
        throw new HttpError('http.badResponse', `The voicemail server answered ${r.status} without a Digest challenge`, { hint: 'It must be the mStoreRelay base URL.', action: 'checkServer', detail: { status: r.status } });
      }
      return `${new URL(url).host} challenges with ${/realm="([^"]*)"/.exec(wa)?.[1] ?? 'a Digest realm'}`;
    },
  },
  {
    // The NAF identity on its own (main/services/gba/naf-realm.ts): the realm the server challenges with
    // against the NAF FQDN in use (the server's host, or the override). A mismatch is fixed by a setting.
    id: 'realm',
    title: stepTitle('realm'),
    run: async (t, signal) => {
      const id = (await t.cardSession(signal)).identity;
      return describeNafRealm(await checkNafRealm(t.http, profileUrl(umsBase(t.settings.server, msisdnOf(t, id))), t.settings, signal));
    },
  },
  {
    id: 'profile',
    title: stepTitle('profile'),
    run: async (t, signal) => {
      const p = await t.client.getProfile(signal ? { signal } : {});
      return `profile read: visual voicemail ${p.vvmOn ? 'on' : 'off'}`;
    },
  },
];

/** Options of {@link runDiagnostics}. */
export interface DiagnosticsOptions {
  signal?: AbortSignal;
  /** Called when a step starts (status null) and when it ends. */
  onStep?(index: number, id: StepId, result: StepResult | null): void;
}

/**
 * Runs the checks over `target` in order, stopping at the first failure (later steps are `skipped`).
 * Never throws except CancelledError when the signal aborts; an unexpected error is a failed step whose
 * error is `internal`, passed to `onInternal` (for the log).
 */
export async function runDiagnostics(target: DiagnosticsTarget, opts: DiagnosticsOptions = {}, onInternal?: (e: unknown) => void): Promise<DiagnosticsResult> {
  const steps: StepResult[] = [];
  let failed = false;
  for (const [i, c] of CHECKS.entries()) {
    throwIfAborted(opts.signal);
    if (failed) {
      steps.push({ id: c.id, title: c.title, status: 'skipped', detail: '' });
      continue;
    }
    opts.onStep?.(i, c.id, null);
    let r: StepResult;
    try {
      r = { id: c.id, title: c.title, status: 'ok', detail: await c.run(target, opts.signal) };
    } catch (e) {
      throwIfAborted(opts.signal);
      const error = toAppError(e, onInternal);
      r = { id: c.id, title: c.title, status: 'failed', detail: error.message, error };
      failed = true;
    }
    steps.push(r);
    opts.onStep?.(i, c.id, r);
  }
  return { ok: !failed, steps };
}
