// `vvm-desk gba bootstrap [--json]`: runs one GBA bootstrap (TS 33.220, TS 24.109) with the card and
// the BSF (or, with --demo, the simulated card and BSF) and prints mode, B-TID, lifetime, the BSF used
// and timings. Never keys: the session object carries none, and nothing here derives one.
import type { Command, CommandGroup } from '../framework.js';
import { withMstore } from './mstore-common.js';

/** What `gba bootstrap` prints (also its --json shape). */
export interface BootstrapReport {
  mode: 'GBA_ME' | 'GBA_U';
  btid: string;
  lifetime: string;
  bsf: string;
  resynced: boolean;
  timings: { totalMs: number; cardMs: number; httpMs: number; requests: number };
}

function human(r: BootstrapReport): string {
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    `mode:      ${r.mode}`,
    `B-TID:     ${r.btid}`,
    `lifetime:  ${r.lifetime}`,
    `BSF:       ${r.bsf}`,
    `resync:    ${r.resynced ? 'yes (the SIM and the network re-synchronised)' : 'no'}`,
    `timings:   total ${ms(r.timings.totalMs)}, card ${ms(r.timings.cardMs)}, network ${ms(r.timings.httpMs)} over ${r.timings.requests} requests`,
    '',
  ].join('\n');
}

const bootstrap: Command = {
  summary: 'bootstrap GBA with the SIM and the BSF; show B-TID, lifetime, BSF and timings',
  usage: '[--json]',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const boot = await s.bootstrapper(ctx.signal);
      const session = await boot.bootstrap({
        signal: ctx.signal,
        ...(ctx.global.verbose && { onProgress: (p) => ctx.io.stderr(`[progress] ${p.phase}\n`) }),
      });
      const report: BootstrapReport = {
        mode: session.mode,
        btid: session.btid,
        lifetime: session.lifetime,
        bsf: session.bsf,
        resynced: session.resynced,
        timings: {
          totalMs: Math.round(session.timings.totalMs),
          cardMs: Math.round(session.timings.cardMs),
          httpMs: Math.round(session.timings.httpMs),
          requests: session.timings.requests,
        },
      };
      ctx.print(report, () => human(report));
      return 0;
    }),
};

/** The `gba` command group. */
export const gbaGroup: CommandGroup = {
  name: 'gba',
  summary: 'GBA bootstrapping (diagnostics)',
  commands: { bootstrap },
};
