// The player's remembered choices (speed, volume): a renderer-only preference, kept in the window's own
// storage. Anything unexpected read back falls back to the default.

/** The speeds the player offers. */
export const SPEEDS = [1, 1.25, 1.5, 2] as const;
/** See {@link SPEEDS}. */
export type Speed = (typeof SPEEDS)[number];

const SPEED_KEY = 'vvm.player.speed';
const VOLUME_KEY = 'vvm.player.volume';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled (a locked-down profile): nothing is remembered then.
    return null;
  }
}

/** The remembered speed, or 1. */
export function loadSpeed(): Speed {
  const n = Number(storage()?.getItem(SPEED_KEY));
  return SPEEDS.find((s) => s === n) ?? 1;
}

/** Remembers the speed for the next voicemail and the next start. */
export function saveSpeed(s: Speed): void {
  storage()?.setItem(SPEED_KEY, String(s));
}

/** The remembered volume in [0, 1], or 1. */
export function loadVolume(): number {
  const raw = storage()?.getItem(VOLUME_KEY);
  const n = raw === null || raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : 1;
}

/** Remembers the volume. */
export function saveVolume(v: number): void {
  storage()?.setItem(VOLUME_KEY, String(Math.min(1, Math.max(0, v))));
}
