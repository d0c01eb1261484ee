// The command groups of vvm-desk, in the order `--help` lists them.
import type { CommandGroup } from './framework.js';
import { audioGroup } from './commands/audio.js';
import { doctorGroup } from './commands/doctor.js';
import { greetingGroup } from './commands/greeting.js';
import { profileGroup } from './commands/profile.js';
import { voicemailGroup } from './commands/voicemail.js';
import { gbaGroup } from './commands/gba.js';
import { cardGroup } from './commands/card.js';
import { syncGroup } from './commands/sync.js';
import { archiveGroup } from './commands/archive.js';

export const commandGroups: CommandGroup[] = [cardGroup, profileGroup, voicemailGroup, syncGroup, archiveGroup, greetingGroup, doctorGroup, gbaGroup, audioGroup];
