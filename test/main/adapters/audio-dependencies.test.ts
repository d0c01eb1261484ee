// Production code must run from `dependencies` alone: the dev-only ffmpeg with libopencore
// (@ffmpeg-installer, a devDependency) serves tests and benchmarks, never the product. Scans every
// module specifier in main/ (import, dynamic import, require, require.resolve) against package.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = resolve(import.meta.dirname, '../../..');
const Pkg = z.object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) });
const pkg = Pkg.parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Bare package names a file loads at run time. */
function packagesUsed(text: string): string[] {
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*|\breq(?:\.resolve)?\s*\(\s*|\bcreateRequire\([^)]*\)(?:\.resolve)?\s*\(\s*)['"]([^'"./][^'"]*)['"]/g;
  const names: string[] = [];
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.push(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec));
  }
  return names;
}

describe('audio runtime dependencies', () => {
  it('the scanner sees the packages the audio adapters load', () => {
    const used = new Set(sources(join(ROOT, 'main/adapters')).flatMap((f) => packagesUsed(readFileSync(f, 'utf8'))));
    expect(used.has('ffmpeg-static')).toBe(true);
    expect(used.has('benz-amr-recorder')).toBe(true);
  });

  it('nothing in main/ loads a devDependency (electron aside: the runtime provides it)', () => {
    const offenders: string[] = [];
    for (const f of sources(join(ROOT, 'main'))) {
      for (const name of packagesUsed(readFileSync(f, 'utf8'))) {
        if (name !== 'electron' && name in pkg.devDependencies && !(name in pkg.dependencies)) offenders.push(`${f.slice(ROOT.length + 1)}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['ffmpeg-static', 'benz-amr-recorder']));
    expect(pkg.dependencies['benz-amr-recorder']).toMatch(/^\d+\.\d+\.\d+$/); // pinned: the codec build is vendored from it
  });
});
