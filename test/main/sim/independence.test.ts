// The simulators must not share the client's reading of what the client has to get right (house style:
// "written from the spec and the notes, never from the client's parsing code"): a digest or URL bug that
// both had would pass every test and fail against the real carrier. This scans every import under
// main/sim, and checks the simulators' own GBA KDF against the known-answer vector.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../../shared/bytes.js';
import { networkKsNaf, networkNafId } from '../../../main/sim/gba-kdf.js';
import { parseDigestAuthorization } from '../../../main/sim/carrier/digest.js';
import vectors from '../../fixtures/vectors/gba-kdf.json' with { type: 'json' };

const ROOT = resolve(import.meta.dirname, '../../..');
const SIM = join(ROOT, 'main', 'sim');

/** Client modules the simulators must not use: digest parsing/formatting/computation, URL parsing, NAF identity, KDF, Ub bodies, AUTHENTICATE. */
const FORBIDDEN = [
  'main/protocol/digest/',
  'main/protocol/mstore/',
  'main/protocol/gba/naf-id.ts',
  'main/protocol/gba/kdf.ts',
  'main/protocol/gba/nonce.ts',
  'main/protocol/gba/bootstrapping-info.ts',
  'main/protocol/uicc/authenticate.ts',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module specifier of a file: static imports and re-exports (type-only ones too), dynamic import(). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1] ?? '');
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1] ?? '');
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] ?? '');
  return out;
}

describe('main/sim does not import the client code it is meant to check', () => {
  const files = sources(SIM);

  it('finds the simulator sources and their imports', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['main/sim/carrier/relay.ts', 'main/sim/carrier/bsf.ts', 'main/sim/card/simulated-uicc.ts']));
    // The scanner sees imports in every layout used here (else the check below would pass vacuously).
    expect(specifiers("import { a } from './x.js';\nimport type {\n  B,\n} from \"../y.js\";\nexport * from './z.js';\nconst m = await import('./w.js');")).toEqual(['./x.js', '../y.js', './z.js', './w.js']);
    expect(specifiers(readFileSync(join(SIM, 'carrier', 'bsf.ts'), 'utf8'))).toContain('./digest.js');
  });

  for (const f of sources(SIM)) {
    it(relative(ROOT, f), () => {
      const bad = specifiers(readFileSync(f, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(ROOT, resolve(dirname(f), s)).replace(/\.js$/, '.ts'))
        .filter((p) => FORBIDDEN.some((x) => p.startsWith(x)));
      expect(bad).toEqual([]);
    });
  }
});

describe("the simulators' own GBA KDF and digest parser", () => {
  it('derive Ks_NAF as the known-answer vector (TS 33.220 B.3)', () => {
    for (const v of vectors.vectors) {
      const nafId = networkNafId(v.NAF_FQDN, fromHex(v.Ua_security_protocol_id));
      expect(toHex(nafId)).toBe(toHex(concatBytes(utf8(v.NAF_FQDN), fromHex(v.Ua_security_protocol_id))));
      expect(toHex(networkKsNaf(concatBytes(fromHex(v.CK), fromHex(v.IK)), fromHex(v.RAND), v.IMPI, nafId))).toBe(v.Ks_NAF_gba_me);
    }
  });

  it('parse Digest credentials strictly (RFC 7235 2.1, RFC 7230 3.2.6)', () => {
    expect(parseDigestAuthorization('Digest username="a\\"b", nc=00000001 ,qop=auth-int')).toEqual(
      new Map([
        ['username', 'a"b'],
        ['nc', '00000001'],
        ['qop', 'auth-int'],
      ]),
    );
    for (const bad of ['Basic dXNlcg==', 'Digest', 'Digest a=1, a=2', 'Digest a="open', 'Digest a=1 b=2', 'Digest a=b"c"', 'Digest a="x\r\ny"', `Digest a="${'x'.repeat(9000)}"`]) {
      expect(parseDigestAuthorization(bad), bad).toBeNull();
    }
  });
});
