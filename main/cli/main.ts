// Entry point of the vvm-desk CLI (bin/vvm-desk.js loads the compiled form of this file).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/settings.js';
import { toAppError } from '../errors.js';
import { loadSettings, settingsFilePath } from '../adapters/settings/settings-file.js';
import { formatAppError, UsageError, type CliIo, type CommandGroup, type GlobalOptions } from './framework.js';
import { commandGroups } from './groups.js';
import { caSummaryLines, describeCaPem } from '../protocol/ca-pem.js';

const GLOBAL_OPTIONS = {
  reader: { type: 'string' },
  demo: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  server: { type: 'string' },
  bsf: { type: 'string' },
  ca: { type: 'string' },
  imei: { type: 'string' },
  'reuse-bootstrap': { type: 'boolean' },
  msisdn: { type: 'string' },
  'naf-fqdn': { type: 'string' },
  'data-dir': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function usage(groups: CommandGroup[]): string {
  const lines = [
    'usage: vvm-desk [global options] <group> <command> [args]',
    '',
    'global options:',
    '  --reader <name>   reader name or substring (default: first reader with a card)',
    '  --demo            use the built-in simulated SIM and carrier (no card needed)',
    '  --server <url>    mstore relay base URL (default https://wsg.t-mobile.com/phone20/mStoreRelay)',
    '  --bsf <url>       BSF URL, or "derive" for the TS 23.003 address (default https://bsf.msg.pc.t-mobile.com/)',
    '  --ca <pem file>   extra trusted CA certificates (TLS is always verified)',
    '  --imei <imei>     send X-TMUS-IMEI to the BSF',
    '  --reuse-bootstrap reuse a GBA key within its lifetime (off: a fresh bootstrap per request)',
    '  --msisdn <+1...>  phone number (default: from the ISIM)',
    '  --naf-fqdn <host> NAF name for the GBA key and the expected realm (default: the --server host)',
    '  --data-dir <dir>  folder of the local voicemail library (default: the desktop app\'s data folder)',
    '  --json            machine-readable output',
    '  -v, --verbose     log progress (never secrets) to stderr',
    '',
    'environment: VVM_SIM_PIN (SIM PIN, else asked on the terminal)',
    '             VVM_CONFIG_DIR (folder of settings.json; default: the desktop app\'s, so the BSF,',
    '             IMEI, key reuse ... set in the app apply here too; the options above override it)',
    '',
    'commands:',
  ];
  for (const g of groups) {
    for (const [name, c] of Object.entries(g.commands)) lines.push(`  ${`${g.name} ${name}`.padEnd(28)} ${c.summary}`);
  }
  return lines.join('\n') + '\n';
}

function defaultIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    promptSecret: async (question) => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Mute the echo: readline writes through _writeToOutput; replace it while reading the secret.
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      process.stderr.write(question);
      out._writeToOutput = () => {};
      try {
        return await new Promise<string>((resolve) => rl.question('', resolve));
      } finally {
        rl.close();
        process.stderr.write('\n');
      }
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Runs the CLI and returns the exit code. `groups` and `io` are replaceable for tests. */
export async function runCli(argv: string[], io: CliIo = defaultIo(), groups: CommandGroup[] = commandGroups, signal: AbortSignal = new AbortController().signal): Promise<number> {
  try {
    // Global options may appear anywhere; the first two positionals name the group and the command.
    const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: false, tokens: true });
    const positionals = first.positionals;
    const [groupName, commandName] = positionals;
    if (first.values.help === true || !groupName) {
      io.stdout(usage(groups));
      return groupName || first.values.help === true ? 0 : 2;
    }
    const group = groups.find((g) => g.name === groupName);
    if (!group) throw new UsageError(`unknown command group '${groupName}'`);
    // A group with a single command (e.g. `doctor`, `sync`) runs it without naming it (a second positional
    // that is no command name is an option's value or an argument: the strict parse below sorts it out).
    const single = Object.keys(group.commands).length === 1 && (commandName === undefined || !Object.hasOwn(group.commands, commandName));
    const command = single ? Object.values(group.commands)[0] : commandName ? group.commands[commandName] : undefined;
    if (!command) throw new UsageError(`unknown command '${groupName} ${commandName ?? ''}'. Commands: ${Object.keys(group.commands).join(', ')}`);
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\nusage: vvm-desk ${group.name} ${commandName} ${command.usage}`);
    }
    const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const global: GlobalOptions = {
      demo: v.demo === true,
      json: v.json === true,
      verbose: v.verbose === true,
      ...(str('reader') !== undefined && { reader: str('reader') }),
      ...(str('server') !== undefined && { server: str('server') }),
      ...(str('bsf') !== undefined && { bsf: str('bsf') }),
      ...(str('ca') !== undefined && { ca: str('ca') }),
      ...(str('imei') !== undefined && { imei: str('imei') }),
      ...(str('msisdn') !== undefined && { msisdn: str('msisdn') }),
      ...(str('naf-fqdn') !== undefined && { nafFqdn: str('naf-fqdn') }),
      ...(str('data-dir') !== undefined && { dataDir: resolvePath(io.cwd, str('data-dir') ?? '') }),
      ...(v['reuse-bootstrap'] === true && { reuseBootstrap: true }),
    };
    const settings = await buildSettings(global, io);
    const args = parsed.positionals.slice(single ? 1 : 2);
    const print = (value: unknown, human: () => string) => io.stdout(global.json ? JSON.stringify(value, null, 2) + '\n' : human());
    return await command.run({ global, settings, io, signal, args, options: v, print });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`vvm-desk: ${e.message}\n`);
      return 2;
    }
    io.stderr(formatAppError(toAppError(e, (x) => io.stderr(`internal error: ${x instanceof Error ? (x.stack ?? x.message) : String(x)}\n`))));
    return 1;
  }
}

/** --ca: extra trusted CA certificates (PEM), added to the defaults; TLS verification stays on. */
function readCaFile(path: string, cwd: string): string {
  let pem: string;
  try {
    pem = readFileSync(resolvePath(cwd, path), 'utf8');
  } catch (e) {
    throw new UsageError(`--ca: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca: ${path} holds no PEM certificate`);
  return pem;
}

/** The desktop's settings file as defaults (main/adapters/settings), then the global options over it. */
async function buildSettings(g: GlobalOptions, io: CliIo): Promise<Settings> {
  const file = settingsFilePath(io.env);
  const raw: Record<string, unknown> = file === null ? {} : { ...(await loadSettings(file)) };
  // The reader saved for the real card does not apply to --demo's built-in reader (--reader still does).
  if (g.demo) delete raw.reader;
  if (g.server) raw.server = g.server;
  if (g.bsf) raw.bsf = g.bsf;
  if (g.imei) raw.imei = g.imei;
  if (g.msisdn) raw.msisdn = g.msisdn;
  if (g.nafFqdn) raw.nafFqdn = g.nafFqdn;
  if (g.reader) raw.reader = g.reader;
  if (g.reuseBootstrap === true) raw.reuseBootstrap = true;
  if (g.ca) {
    const pem = readCaFile(g.ca, io.cwd);
    let described;
    try {
      described = describeCaPem(pem);
    } catch {
      throw new UsageError(`--ca: ${g.ca} holds no readable certificate`);
    }
    // The user sees what is being trusted, every time (never silently).
    io.stderr(`trusting the extra CA certificate${described.length > 1 ? 's' : ''} in ${g.ca}:\n${caSummaryLines(described).map((l) => `  ${l}\n`).join('')}`);
    raw.caPem = [pem];
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`invalid option: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
