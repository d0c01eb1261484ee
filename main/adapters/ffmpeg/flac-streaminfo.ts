// ffmpeg writing FLAC to a pipe cannot seek back to fill in STREAMINFO's total-samples field, so players
// and ffprobe see an unknown duration. We know the sample count: patch it in.
// FLAC format (RFC 9639 section 8.2): "fLaC", then METADATA_BLOCK_HEADER (4 bytes) of STREAMINFO, whose
// body holds min/max block size (2+2 bytes), min/max frame size (3+3), then 20 bits sample rate,
// 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples, 16 bytes MD5 (zero = unknown).

/** Returns a copy of the FLAC stream with STREAMINFO's total samples set; other input is returned as is. */
export function setFlacTotalSamples(flac: Uint8Array, totalSamples: number): Uint8Array {
  if (flac.length < 42 || flac[0] !== 0x66 || flac[1] !== 0x4c || flac[2] !== 0x61 || flac[3] !== 0x43) return flac;
  if (((flac[4] ?? 0) & 0x7f) !== 0) return flac; // first block must be STREAMINFO (type 0)
  const out = flac.slice();
  const base = 8 + 13; // STREAMINFO body starts at 8; byte 13 of the body holds bps low nibble + samples bits 35..32
  const hi = Math.floor(totalSamples / 2 ** 32) & 0x0f;
  const lo = totalSamples >>> 0;
  out[base] = ((out[base] ?? 0) & 0xf0) | hi;
  out[base + 1] = (lo >>> 24) & 0xff;
  out[base + 2] = (lo >>> 16) & 0xff;
  out[base + 3] = (lo >>> 8) & 0xff;
  out[base + 4] = lo & 0xff;
  return out;
}
