// `vvm-desk card readers` and `vvm-desk card info`: the PC/SC readers, and what the SIM says about its
// subscriber (ICCID, IMPI, IMPUs, domain, MSISDN, GBA mode, PIN state). --demo uses the in-process
// simulated card. Nothing secret is printed (the PIN never is; keys are never read here).
import { createCardEngine, type CardEngine } from '../../app.js';
import { demoProfile } from '../../sim/card/profile.js';
import { SimulatedUicc } from '../../sim/card/simulated-uicc.js';
import { attachToVpcd, VPCD_PORTS } from '../../sim/card/vpcd-card.js';
import { CardError } from '../../errors.js';
import { UsageError } from '../framework.js';
import type { Command, CommandContext, CommandGroup } from '../framework.js';
import { cliPinSource } from '../pin-source.js';
import { stderrLogger } from './mstore-common.js';

async function withCard(ctx: CommandContext, fn: (e: CardEngine) => Promise<number>): Promise<number> {
  const log = stderrLogger(ctx);
  const engine = await createCardEngine({ settings: ctx.settings, demo: ctx.global.demo, pinSource: cliPinSource(ctx.io), ...(log && { logger: log }) });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

const readers: Command = {
  summary: 'list smart-card readers and whether a card is in them',
  usage: '[--json]',
  run: (ctx) =>
    withCard(ctx, async ({ card }) => {
      const list = await card.listReaders(ctx.signal);
      ctx.print(list, () =>
        list.length === 0
          ? 'no readers found\n'
          : list.map((r) => `${r.cardPresent ? '*' : ' '} ${r.name}${r.cardPresent ? '' : '  (no card)'}`).join('\n') + '\n',
      );
      return 0;
    }),
};

const info: Command = {
  summary: 'show the SIM: ICCID, IMPI, IMPUs, domain, phone number, GBA mode, PIN state',
  usage: '[--json]',
  run: (ctx) =>
    withCard(ctx, async ({ card }) => {
      const i = await card.info(ctx.signal);
      const value = {
        reader: i.reader,
        iccid: i.iccid,
        impi: i.impi,
        impu: i.impu,
        domain: i.domain,
        msisdn: i.msisdn,
        gba: i.gba,
        pin: i.pin,
        app: i.app,
        protocol: i.protocol,
        apduCount: i.apduCount,
      };
      const pin = i.pin.enabled ? (i.pin.verified ? 'enabled, verified' : `enabled, not verified${i.pin.triesLeft !== null ? ` (${i.pin.triesLeft} tries left)` : ''}`) : 'disabled';
      ctx.print(value, () =>
        [
          `reader:    ${i.reader} (${i.protocol === 'T1' ? 'T=1' : 'T=0'})`,
          `ICCID:     ${i.iccid}`,
          `app:       ${i.app}${i.app === 'USIM' ? ' (no ISIM: IMPI derived from the IMSI, TS 23.003 13.3)' : ''}`,
          `IMPI:      ${i.impi}`,
          ...(i.impu.length > 0 ? i.impu.map((u, n) => `${n === 0 ? 'IMPU:      ' : '           '}${u}`) : ['IMPU:      (none)']),
          `domain:    ${i.domain ?? '(none)'}`,
          `phone:     ${i.msisdn ?? '(unknown: give it with --msisdn)'}`,
          `GBA:       ${i.gba}`,
          `PIN:       ${pin}`,
          `APDUs:     ${i.apduCount}`,
          '',
        ].join('\n'),
      );
      return 0;
    }),
};

const simulate: Command = {
  summary: 'attach the simulated SIM to pcscd through the vpcd virtual reader (until Ctrl-C)',
  usage: '[--slot 0|1] [--protocol T0|T1] [--sim-pin <PIN>] [--gba-u]',
  options: { slot: { type: 'string' }, protocol: { type: 'string' }, 'sim-pin': { type: 'string' }, 'gba-u': { type: 'boolean' } },
  async run(ctx) {
    const slot = ctx.options.slot ?? '0';
    if (slot !== '0' && slot !== '1') throw new UsageError('--slot is 0 ("Virtual PCD 00 00") or 1 ("Virtual PCD 00 01")');
    const protocol = ctx.options.protocol ?? 'T1';
    if (protocol !== 'T0' && protocol !== 'T1') throw new UsageError('--protocol is T0 or T1');
    const pin = ctx.options['sim-pin'];
    if (pin !== undefined && (typeof pin !== 'string' || !/^\d{4,8}$/.test(pin))) throw new UsageError('--sim-pin is 4 to 8 digits');
    const card = new SimulatedUicc(demoProfile({ pin: pin ?? null, gbaU: ctx.options['gba-u'] === true }), { protocol });
    const port = VPCD_PORTS[slot === '0' ? 0 : 1];
    let att;
    try {
      att = await attachToVpcd(card, { port, signal: ctx.signal });
    } catch (e) {
      throw new CardError('card.serviceUnavailable', `Cannot reach the vpcd virtual reader on port ${port}`, {
        hint: 'Start pcscd with vsmartcard-vpcd installed (sudo bash scripts/install-system-deps.sh; pcscd -f).',
        cause: e,
      });
    }
    ctx.io.stdout(`simulated SIM attached to "Virtual PCD 00 0${slot}" (${protocol === 'T1' ? 'T=1' : 'T=0'}); Ctrl-C removes it\n`);
    const aborted = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([att.closed, aborted]);
    const byUser = ctx.signal.aborted;
    await att.remove();
    ctx.io.stdout(`simulated SIM removed after ${att.apduCount} APDUs\n`);
    if (!byUser) {
      ctx.io.stderr('vpcd closed the connection (pcscd stopped?)\n');
      return 1;
    }
    return 0;
  },
};

/** The `card` command group. */
export const cardGroup: CommandGroup = {
  name: 'card',
  summary: 'the SIM card and the readers',
  commands: { readers, info, simulate },
};
