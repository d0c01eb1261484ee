// The command groups of vvm-desk, in the order `--help` lists them.
import type { CommandGroup } from './framework.js';

export const commandGroups: CommandGroup[] = [];
