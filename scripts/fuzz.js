// `npm run fuzz`: the property tests of test/fuzz/ with many more runs than `npm test` gives them
// (VVM_FUZZ_RUNS, default 20000 per property; VVM_FUZZ_SEED picks another seed, e.g. the one a failure printed).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require.resolve('vitest/package.json');
const vitest = join(dirname(pkg), require(pkg).bin.vitest);
const env = { ...process.env, VVM_FUZZ_RUNS: process.env.VVM_FUZZ_RUNS ?? '20000' };
const r = spawnSync(process.execPath, [vitest, 'run', '--project', 'unit', 'test/fuzz', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
