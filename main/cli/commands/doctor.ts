// `vvm-desk doctor`: walks the chain a voicemail request needs, in order, and stops at the first broken
// link with what to do about it. The steps are the diagnostics service's (main/services/diagnostics),
// which the window's Diagnostics view runs too; this command prints them and words the fix for the
// command line (main/cli/hints.ts). Never prints secrets.
import { toAppError } from '../../errors.js';
import { runDiagnostics, type StepId, type StepResult } from '../../services/diagnostics/diagnostics.js';
import type { Command, CommandGroup } from '../framework.js';
import { cliHintFor } from '../hints.js';
import { withMstore } from './mstore-common.js';

/** One printed step (the JSON shape of `doctor --json`). */
interface Step {
  step: string;
  ok: boolean;
  detail: string;
  code?: string;
  hint?: string;
}

/** The CLI's step names (`doctor --json` output), kept from before the steps became a service. */
const STEP_NAMES: Record<StepId, string> = {
  service: 'pcscd',
  reader: 'reader',
  card: 'card',
  pin: 'PIN',
  isim: 'ISIM',
  identity: 'IMPI/MSISDN',
  bsf: 'BSF reachability',
  bootstrap: 'bootstrap',
  relay: 'relay challenge',
  realm: 'NAF realm',
  profile: 'authenticated profile read',
};

function printed(r: StepResult): Step {
  const hint = r.error ? cliHintFor(r.error) : undefined;
  return { step: STEP_NAMES[r.id], ok: r.status === 'ok', detail: r.detail, ...(r.error && { code: r.error.code }), ...(hint !== undefined && { hint }) };
}

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
        const result = await runDiagnostics(s.diagnosticsTarget(), {
          signal: ctx.signal,
          // Printed as each step ends; skipped steps are not printed.
          onStep: (_i, _id, r) => {
            if (r && r.status !== 'skipped') out(printed(r));
          },
        });
        failed = !result.ok;
        return failed ? 1 : 0;
      });
    } catch (e) {
      // Opening the session itself failed (e.g. the demo carrier could not start).
      const app = toAppError(e);
      const hint = cliHintFor(app);
      out({ step: 'start', ok: false, detail: app.message, code: app.code, ...(hint !== undefined && { hint }) });
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
