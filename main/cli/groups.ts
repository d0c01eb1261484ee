// The command groups of vvm-desk, in the order `--help` lists them.
import type { CommandGroup } from './framework.js';
import { audioGroup } from './commands/audio.js';

export const commandGroups: CommandGroup[] = [audioGroup];
