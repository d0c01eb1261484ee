#!/usr/bin/env node
// Makes the app icons from assets/icon.svg (run `npm run icons` after changing the SVG, commit the results):
//   assets/icons/<N>x<N>.png  N = 16 … 1024   Linux (electron-builder's linux.icon folder), the 512 and 1024 masters
//   assets/icon.ico                           Windows: PNG-compressed entries 16 … 256 (Vista and later)
//   assets/icon.icns                          macOS: PNG entries 16 … 1024 (ic10 = 512@2x)
// Rasterising needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg);
// the ICO and ICNS containers are written here (both are a table of PNGs), so no other tool is needed.
// The outputs are committed; builds and tests never run this script.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SVG = join(ROOT, 'assets', 'icon.svg');
const PNG_DIR = join(ROOT, 'assets', 'icons');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS element types holding PNG data, by pixel size (Apple's icns format; the @2x types share sizes).
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['ic11', 32], ['icp6', 64], ['ic12', 64], ['ic07', 128],
  ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024],
];

function rasterise(size) {
  try {
    return execFileSync('rsvg-convert', ['--width', String(size), '--height', String(size), '--format', 'png', SVG], { maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    if (e.code === 'ENOENT') {
      process.stderr.write('make-icons: rsvg-convert not found: apt-get install librsvg2-bin (macOS: brew install librsvg)\n');
      process.exit(1);
    }
    throw e;
  }
}

/** ICONDIR + one 16-byte ICONDIRENTRY per image, then the PNGs. Width/height 0 means 256. */
export function buildIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((im) => im.png)]);
}

/** 'icns' + total length, then per element: 4-byte type, big-endian length including these 8 bytes, data. */
export function buildIcns(elements) {
  const parts = elements.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

function main() {
  const pngs = new Map(SIZES.map((s) => [s, rasterise(s)]));
  rmSync(PNG_DIR, { recursive: true, force: true });
  mkdirSync(PNG_DIR, { recursive: true });
  for (const [s, png] of pngs) writeFileSync(join(PNG_DIR, `${s}x${s}.png`), png);
  writeFileSync(join(ROOT, 'assets', 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  writeFileSync(join(ROOT, 'assets', 'icon.icns'), buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) }))));
  const svgBytes = readFileSync(SVG).length;
  process.stdout.write(`make-icons: ${SIZES.length} PNGs, icon.ico (${ICO_SIZES.length} sizes), icon.icns (${ICNS_TYPES.length} elements) from icon.svg (${svgBytes} bytes)\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
