// `vvm-desk card readers` and `vvm-desk card info`: the PC/SC readers, and what the SIM says about its
// subscriber (ICCID, IMPI, IMPUs, domain, MSISDN, GBA mode, PIN state). --demo uses the in-process
// simulated card. Nothing secret is printed (the PIN never is; keys are never read here).
import { createCardEngine, type CardEngine } from '../../app.js';
import type { Logger } from '../../services/ports.js';
import type { Command, CommandContext, CommandGroup } from '../framework.js';
import { cliPinSource } from '../pin-source.js';

function logger(ctx: CommandContext): Logger | undefined {
  if (!ctx.global.verbose) return undefined;
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) => ctx.io.stderr(`[${level}] ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

async function withCard(ctx: CommandContext, fn: (e: CardEngine) => Promise<number>): Promise<number> {
  const log = logger(ctx);
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

/** The `card` command group. */
export const cardGroup: CommandGroup = {
  name: 'card',
  summary: 'the SIM card and the readers',
  commands: { readers, info },
};
