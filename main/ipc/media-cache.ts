// The last few decoded WAVs, for the hosts' `/media/audio/<id>` route (Electron's app:// protocol, the
// web harness). The playback service keeps its own larger cache; this one only bridges "decoded for this
// window" to "served with Range to its <audio> element".

/** A small most-recently-used map of id -> WAV bytes. */
export interface MediaCache {
  remember(id: string, wav: Uint8Array): void;
  get(id: string): Uint8Array | undefined;
}

/** Keeps the `entries` most recently remembered WAVs. */
export function createMediaCache(entries = 8): MediaCache {
  const map = new Map<string, Uint8Array>();
  return {
    remember(id, wav) {
      map.delete(id);
      map.set(id, wav);
      for (const key of map.keys()) {
        if (map.size <= entries) break;
        map.delete(key);
      }
    },
    get: (id) => map.get(id),
  };
}
