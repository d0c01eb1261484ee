// The app's entry point (package.json "main"). Without `--cli` it starts the desktop window
// (electron-main.ts). With `--cli`, what follows is a `vvm-desk` command, run in this process without a
// window and without the single-instance lock: the installed app's command line. It needs no
// ELECTRON_RUN_AS_NODE, so it works with the RunAsNode fuse off (electron-builder.yml). Chromium switches
// before `--cli` are left to Electron; everything after it goes to the CLI:
//   "VVM Desk" --cli card info              (packaged app)
//   npx electron . --cli --demo card info   (development; `node bin/vvm-desk.js` does the same under Node)
// Electron is never imported on the CLI path, so this file also runs under plain Node.

/** The CLI's arguments when `--cli` is present, else null (the window). */
function cliArgs(argv: readonly string[]): string[] | null {
  const i = argv.indexOf('--cli');
  return i < 0 ? null : argv.slice(i + 1);
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

async function runCommandLine(args: string[]): Promise<void> {
  const { runCli } = await import('./cli/main.js');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const code = await runCli(args, undefined, undefined, controller.signal);
  if (process.versions.electron === undefined) {
    process.exitCode = code;
    return;
  }
  // Electron keeps running without a window until told to stop.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

const args = cliArgs(process.argv);
if (args !== null) await runCommandLine(args);
else await import('./electron-main.js');

export {};
