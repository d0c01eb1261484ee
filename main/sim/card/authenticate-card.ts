// The simulated card's own reading of AUTHENTICATE (TS 31.102 §7.1.2, TS 31.103 §7.1.2 and TS 33.220
// §5.3.2), written from the specs rather than taken from the client's main/protocol/uicc/authenticate.ts,
// so that a misread layout in the client's commands shows up as a refused command instead of passing.
//   3G context (P2 0x81):   data = L RAND L AUTN                     -> DB L RES L CK L IK | DC L AUTS
//   GBA context (P2 0x84):  data = DD L RAND L AUTN  (bootstrapping) -> DB L RES | DC L AUTS
//                           data = DE L NAF_Id L IMPI (NAF derivation) -> DB L Ks_ext_NAF
// Each L is one byte (the values are at most 255 bytes here).
import { concatBytes } from '../../../shared/bytes.js';

/** P2 of the two security contexts the card supports. */
export const CARD_P2_3G = 0x81;
export const CARD_P2_GBA = 0x84;

/** A parsed AUTHENTICATE, or null when the data does not have that exact shape. */
export type CardAuthRequest =
  | { mode: '3g' | 'gbaBootstrap'; rand: Uint8Array; autn: Uint8Array }
  | { mode: 'gbaNaf'; nafId: Uint8Array; impi: Uint8Array };

/** Exactly two one-byte-length-prefixed values from `start` to the end of `data`, or null. */
function twoLvs(data: Uint8Array, start: number): [Uint8Array, Uint8Array] | null {
  const out: Uint8Array[] = [];
  let i = start;
  while (i < data.length) {
    const len = data[i] ?? 0;
    if (i + 1 + len > data.length) return null;
    out.push(data.slice(i + 1, i + 1 + len));
    i += 1 + len;
  }
  const [a, b] = out;
  return out.length === 2 && a !== undefined && b !== undefined ? [a, b] : null;
}

/** Parses the command data of an AUTHENTICATE for P2, or null (the card answers 6A80). */
export function parseCardAuthenticate(p2: number, data: Uint8Array): CardAuthRequest | null {
  if (p2 === CARD_P2_3G) {
    const lv = twoLvs(data, 0);
    return lv && lv[0].length === 16 && lv[1].length === 16 ? { mode: '3g', rand: lv[0], autn: lv[1] } : null;
  }
  if (p2 !== CARD_P2_GBA) return null;
  const lv = twoLvs(data, 1);
  if (lv === null) return null;
  if (data[0] === 0xdd) return lv[0].length === 16 && lv[1].length === 16 ? { mode: 'gbaBootstrap', rand: lv[0], autn: lv[1] } : null;
  if (data[0] === 0xde) return lv[0].length > 0 && lv[1].length > 0 ? { mode: 'gbaNaf', nafId: lv[0], impi: lv[1] } : null;
  return null;
}

function lvs(tag: number, items: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(tag)];
  for (const it of items) parts.push(Uint8Array.of(it.length), it);
  return concatBytes(...parts);
}

/** `DB` + L value items: RES [CK IK], or Ks_ext_NAF. */
export function cardAuthSuccess(...items: Uint8Array[]): Uint8Array {
  return lvs(0xdb, items);
}

/** `DC L AUTS`: synchronisation failure. */
export function cardAuthSyncFailure(auts: Uint8Array): Uint8Array {
  return lvs(0xdc, [auts]);
}
