// `vvm-desk doctor`: walks the chain a voicemail request needs, in order, and stops at the first broken
// link with what to do about it: pcscd, reader, card, PIN, ISIM, IMPI/MSISDN, BSF reachability, GBA
// bootstrap, the relay's digest challenge, an authenticated profile read. Never prints secrets.
import { toAppError } from '../../errors.js';
import { umsBase, profileUrl } from '../../protocol/mstore/urls.js';
import { pickReader } from '../../services/card/card-service.js';
import { resolveBsfUrl } from '../../services/gba/bootstrap.js';
import { USER_AGENT } from '../../services/mstore/client.js';
import type { Command, CommandContext, CommandGroup } from '../framework.js';
import { withMstore } from './mstore-common.js';
import type { MstoreSession } from '../../app.js';

/** One check's outcome. */
interface Step {
  step: string;
  ok: boolean;
  detail: string;
  code?: string;
  hint?: string;
}

type Check = { step: string; run: (s: MstoreSession, ctx: CommandContext) => Promise<string> };

const CHECKS: Check[] = [
  {
    step: 'pcscd',
    run: async (s, ctx) => {
      const readers = await s.card.listReaders(ctx.signal);
      return ctx.global.demo ? 'in-process demo reader (no pcscd needed)' : `smart-card service answers (${readers.length} reader(s))`;
    },
  },
  {
    step: 'reader',
    run: async (s, ctx) => {
      const readers = await s.card.listReaders(ctx.signal);
      if (readers.length === 0) pickReader(readers, s.settings.reader);
      return readers.map((r) => `${r.name}${r.cardPresent ? ' [card]' : ''}`).join('; ');
    },
  },
  {
    step: 'card',
    run: async (s, ctx) => pickReader(await s.card.listReaders(ctx.signal), s.settings.reader).name,
  },
  {
    step: 'PIN',
    run: async (s, ctx) => {
      await s.cardSession(ctx.signal);
      return 'card unlocked (or PIN disabled)';
    },
  },
  {
    step: 'ISIM',
    run: async (s, ctx) => {
      const id = (await s.cardSession(ctx.signal)).identity;
      return id.app === 'ISIM' ? `ISIM present (${id.gba})` : 'no ISIM: using the USIM (TS 23.003 13.3 IMPI); the carrier may refuse it';
    },
  },
  {
    step: 'IMPI/MSISDN',
    run: async (s, ctx) => {
      const id = (await s.cardSession(ctx.signal)).identity;
      const msisdn = s.settings.msisdn ?? id.msisdn;
      if (msisdn === null) throw Object.assign(new Error('no MSISDN'), { name: 'NoMsisdn' });
      return `IMPI ${id.impi}, MSISDN ${msisdn}${s.settings.msisdn ? ' (from --msisdn)' : ''}`;
    },
  },
  {
    step: 'BSF reachability',
    run: async (s, ctx) => {
      const url = resolveBsfUrl(s.settings.bsf, (await s.cardSession(ctx.signal)).identity);
      const r = await s.http.request({ method: 'GET', url, headers: { 'User-Agent': USER_AGENT } }, ctx.signal);
      return `${url} answered ${r.status}`;
    },
  },
  {
    step: 'bootstrap',
    run: async (s, ctx) => {
      const g = await (await s.bootstrapper(ctx.signal)).bootstrap({ signal: ctx.signal });
      return `${g.mode} bootstrap with ${g.bsf} in ${Math.round(g.timings.totalMs)} ms${g.resynced ? ' (after a resync)' : ''}, key valid until ${g.lifetime}`;
    },
  },
  {
    step: 'relay challenge',
    run: async (s, ctx) => {
      const id = (await s.cardSession(ctx.signal)).identity;
      const msisdn = s.settings.msisdn ?? id.msisdn ?? '';
      const url = profileUrl(umsBase(s.settings.server, msisdn));
      const r = await s.http.request({ method: 'GET', url, headers: { 'User-Agent': USER_AGENT } }, ctx.signal);
      const wa = r.headers['www-authenticate']?.[0] ?? '';
      if (r.status !== 401 || !/^Digest\s/i.test(wa)) throw Object.assign(new Error(`the relay answered ${r.status} without a Digest challenge`), { name: 'NoChallenge' });
      return `${new URL(url).host} challenges with ${/realm="([^"]*)"/.exec(wa)?.[1] ?? 'a Digest realm'}`;
    },
  },
  {
    step: 'authenticated profile read',
    run: async (s, ctx) => {
      const p = await s.client.getProfile({ signal: ctx.signal });
      return `profile read: visual voicemail ${p.vvmOn ? 'on' : 'off'}`;
    },
  },
];

const FALLBACK_HINTS: Record<string, string> = {
  'IMPI/MSISDN': 'The card has no tel: IMPU: give the number with --msisdn +1XXXXXXXXXX.',
  'relay challenge': 'Check --server: it must be the mStoreRelay base URL (default https://wsg.t-mobile.com/phone20/mStoreRelay).',
  'BSF reachability': 'Check --bsf and the network connection.',
};

const doctor: Command = {
  summary: 'check every step from the card to the voicemail server',
  usage: '',
  run: async (ctx) => {
    const steps: Step[] = [];
    const out = (st: Step) => {
      steps.push(st);
      if (!ctx.global.json) ctx.io.stdout(`${st.ok ? 'ok  ' : 'FAIL'} ${st.step.padEnd(28)} ${st.detail}\n${st.hint ? `     -> ${st.hint}\n` : ''}`);
    };
    let failed = false;
    try {
      await withMstore(ctx, async (s) => {
        for (const c of CHECKS) {
          try {
            out({ step: c.step, ok: true, detail: await c.run(s, ctx) });
          } catch (e) {
            const app = toAppError(e);
            const hint = app.code === 'internal' ? FALLBACK_HINTS[c.step] : (app.hint ?? FALLBACK_HINTS[c.step]);
            out({ step: c.step, ok: false, detail: app.code === 'internal' && e instanceof Error ? e.message : app.message, code: app.code, ...(hint !== undefined && { hint }) });
            failed = true;
            return 1;
          }
        }
        return 0;
      });
    } catch (e) {
      // Opening the session itself failed (e.g. the demo carrier could not start).
      const app = toAppError(e);
      out({ step: 'start', ok: false, detail: app.message, code: app.code, ...(app.hint !== undefined && { hint: app.hint }) });
      failed = true;
    }
    if (ctx.global.json) ctx.io.stdout(JSON.stringify({ ok: !failed, steps }, null, 2) + '\n');
    return failed ? 1 : 0;
  },
};

/** The `doctor` group: `vvm-desk doctor check` (also reachable as `vvm-desk doctor`). */
export const doctorGroup: CommandGroup = {
  name: 'doctor',
  summary: 'diagnose the card, GBA and server chain',
  commands: { check: doctor },
};
