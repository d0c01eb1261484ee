// The services and the protocol code speak to both front ends, so their messages and hints must not name
// the command line's options or environment variables, nor the internal operation names ("search:"): the
// window shows these errors too, and each front end words its own hint from AppError.action
// (main/cli/hints.ts, renderer/messages.ts). This scans every string literal (comments stripped) so the
// rule stays kept.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCANNED = ['main/services', 'main/protocol'];

/** What a message written for people must not contain. */
const FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'a CLI option', re: /(^|[\s(`'"])--[a-z][a-z-]+/ },
  { what: 'an environment variable', re: /\b(VVM_[A-Z_]+|FFMPEG_PATH)\b/ },
  { what: 'a vvm-desk command', re: /\bvvm-desk\s+[a-z]/ },
];

/** An error message starting with an internal operation name, literal ("search: ...") or computed ("${what}: ..."). */
const OPERATION_PREFIX = /new [A-Za-z]+Error\(\s*'[a-z.A-Z]+',\s*(['`])(\$\{[A-Za-z.]+\}|[a-z][a-z ]*): /;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The source with comments blanked out (strings are kept; a `//` inside a string such as a URL survives). */
function withoutComments(src: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < src.length) {
    const c = src[i] ?? '';
    const next = src[i + 1] ?? '';
    if (quote) {
      out += c;
      if (c === '\\') {
        out += next;
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else {
      if (c === "'" || c === '"' || c === '`') quote = c;
      out += c;
      i++;
    }
  }
  return out;
}

/** String literals ('...', "...", `...`) of a comment-free source. */
function literals(src: string): string[] {
  return [...src.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

describe('messages of services and protocol code are free of front-end words', () => {
  const sources = SCANNED.flatMap((d) => files(join(ROOT, d))).map((f) => ({ file: relative(ROOT, f), code: withoutComments(readFileSync(f, 'utf8')) }));

  it('scans a real tree', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('no string literal names a CLI option, an environment variable or a vvm-desk command', () => {
    const found: string[] = [];
    for (const { file, code } of sources) {
      for (const lit of literals(code)) {
        for (const f of FORBIDDEN) if (f.re.test(lit)) found.push(`${file}: ${f.what} in ${lit.slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('no error message starts with an operation name', () => {
    const found = sources.flatMap(({ file, code }) => code.split('\n').filter((l) => OPERATION_PREFIX.test(l)).map((l) => `${file}: ${l.trim().slice(0, 140)}`));
    expect(found).toEqual([]);
  });

  it('the scanner itself catches each kind of offence', () => {
    const offending = withoutComments(`throw new CardError('card.pinRequired', 'PIN needed', { hint: 'Set VVM_SIM_PIN.' }); // --ok in a comment
      const a = "use --bsf <url>"; const b = \`run vvm-desk doctor\`;
      throw new HttpError('http.server', \`\${what}: server error\`);
      throw new HttpError('http.server', 'search: failed');`);
    const lits = literals(offending);
    expect(FORBIDDEN.map((f) => lits.some((l) => f.re.test(l)))).toEqual([true, true, true]);
    expect(offending.split('\n').filter((l) => OPERATION_PREFIX.test(l))).toHaveLength(2);
    expect(literals(withoutComments('// --bsf VVM_SIM_PIN\nconst x = 1;'))).toEqual([]);
  });
});
