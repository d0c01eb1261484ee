// Readers for the icon containers the packaging ships (PNG header, ICO directory, ICNS elements), strict
// enough that a truncated or mislabelled file fails the icon tests.

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
export function readPngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_MAGIC) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The images of an ICO file (type 1), sizes as its directory states them (0 means 256). */
export function readIco(ico: Buffer): { width: number; height: number; data: Buffer }[] {
  if (ico.length < 6 || ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = ico.readUInt16LE(4);
  const images = [];
  for (let i = 0; i < count; i++) {
    const e = 6 + 16 * i;
    if (e + 16 > ico.length) throw new Error('ICO directory truncated');
    const size = ico.readUInt32LE(e + 8);
    const offset = ico.readUInt32LE(e + 12);
    if (offset + size > ico.length) throw new Error('ICO image out of bounds');
    images.push({ width: ico.readUInt8(e) || 256, height: ico.readUInt8(e + 1) || 256, data: ico.subarray(offset, offset + size) });
  }
  return images;
}

/** The elements of an ICNS file; its stated total length must be the file's. */
export function readIcns(icns: Buffer): { type: string; data: Buffer }[] {
  if (icns.length < 8 || icns.toString('latin1', 0, 4) !== 'icns' || icns.readUInt32BE(4) !== icns.length) throw new Error('not an ICNS file');
  const elements = [];
  for (let at = 8; at < icns.length;) {
    if (at + 8 > icns.length) throw new Error('ICNS element header truncated');
    const len = icns.readUInt32BE(at + 4);
    if (len < 8 || at + len > icns.length) throw new Error('ICNS element out of bounds');
    elements.push({ type: icns.toString('latin1', at, at + 4), data: icns.subarray(at + 8, at + len) });
    at += len;
  }
  return elements;
}
