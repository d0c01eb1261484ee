// The benchmark runner (`npm run bench` builds, then runs node out/test/bench/run.js). It imports every
// module in this folder and runs:
//  - `bench(): Promise<BenchResult[]>` (see bench-result.ts): printed as one table;
//  - `run<Name>Bench(): Promise<{ name, ok, lines }>`: printed as the module's own lines.
// Exit code 1 when any result reports a missed target.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, LinesBenchResult } from './bench-result.js';

function isLines(v: unknown): v is LinesBenchResult {
  return typeof v === 'object' && v !== null && 'lines' in v && Array.isArray(v.lines) && 'ok' in v && typeof v.ok === 'boolean';
}

function isBenchResults(v: unknown): v is BenchResult[] {
  return Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null && 'name' in r && 'value' in r && typeof r.value === 'number' && 'unit' in r);
}

function table(rows: BenchResult[]): string {
  const cells = rows.map((r) => [r.name, `${Number.isInteger(r.value) ? r.value : r.value.toFixed(1)} ${r.unit}`, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED', r.note ?? '']);
  const head = ['benchmark', 'value', 'target', '', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const fmt = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}

async function main(): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const only = process.argv.slice(2);
  const files = readdirSync(here).filter((f) => f.endsWith('.js') && f !== 'run.js' && f !== 'bench-result.js').sort();
  const rows: BenchResult[] = [];
  let failed = false;
  for (const f of files) {
    if (only.length > 0 && !only.some((o) => f.startsWith(o))) continue;
    const mod: Record<string, unknown> = await import(pathToFileURL(join(here, f)).href);
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== 'function') continue;
      if (name !== 'bench' && !/^run\w*Bench$/.test(name)) continue;
      process.stderr.write(`running ${f}: ${name}()\n`);
      try {
        const out: unknown = await fn();
        if (isBenchResults(out)) {
          rows.push(...out);
          failed ||= out.some((r) => r.ok === false);
        } else if (isLines(out)) {
          process.stdout.write(out.lines.join('\n') + '\n\n');
          failed ||= !out.ok;
        } else {
          process.stdout.write(`${f}: ${name}() returned an unknown shape\n`);
          failed = true;
        }
      } catch (e) {
        process.stdout.write(`${f}: ${name}() failed: ${e instanceof Error ? e.message : String(e)}\n`);
        failed = true;
      }
    }
  }
  if (rows.length > 0) process.stdout.write(table(rows) + '\n');
  return failed ? 1 : 0;
}

process.exitCode = await main();
