// The simulated carrier's bootstrap key store: what a real BSF keeps per B-TID and hands to a NAF over
// Zn (TS 33.220 4.5.3: the NAF asks the BSF for Ks_NAF by B-TID and NAF_Id). The simulated BSF writes
// it; the simulated relay reads it through nafKeyLookup to check the digest of the Ua request.
import { networkKsNaf, networkNafId } from '../gba-kdf.js';

/** One successful bootstrap (network side). Ks = CK || IK, also for GBA_U (the card holds the same Ks). */
export interface BootstrapRecord {
  btid: string;
  ks: Uint8Array;
  rand: Uint8Array;
  impi: string;
  /** Key lifetime, milliseconds since the epoch. */
  expiresAt: number;
  gbaU: boolean;
}

/** B-TID -> bootstrap record, with expiry. */
export interface KeyStore {
  put(rec: BootstrapRecord): void;
  /** The live record for a B-TID, or null when unknown or expired. */
  get(btid: string): BootstrapRecord | null;
  /**
   * Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) for (B-TID, NAF_Id = FQDN || Ua protocol id):
   * KDF(Ks, "gba-me", RAND, IMPI, NAF_Id) (TS 33.220 B.3, 4.5.3 and 5.3.3); null when the B-TID is unknown
   * or expired.
   */
  nafKey(btid: string, nafId: Uint8Array): Uint8Array | null;
  /** Forgets a B-TID (tests: the key was revoked on the network side). */
  revoke(btid: string): void;
  readonly size: number;
}

/** Most records kept; the oldest is dropped beyond this (a long demo session must not grow forever). */
const MAX_RECORDS = 10_000;

/** Creates an empty key store; `now` is the carrier's clock (tests move it to expire keys). */
export function createKeyStore(now: () => number = Date.now): KeyStore {
  const records = new Map<string, BootstrapRecord>();
  const get = (btid: string): BootstrapRecord | null => {
    const r = records.get(btid);
    if (r === undefined) return null;
    if (r.expiresAt <= now()) {
      records.delete(btid);
      return null;
    }
    return r;
  };
  return {
    put(rec) {
      records.delete(rec.btid);
      records.set(rec.btid, rec);
      if (records.size > MAX_RECORDS) {
        const oldest = records.keys().next().value;
        if (oldest !== undefined) records.delete(oldest);
      }
    },
    get,
    nafKey(btid, nafId) {
      const r = get(btid);
      return r === null ? null : networkKsNaf(r.ks, r.rand, r.impi, nafId);
    },
    revoke(btid) {
      records.delete(btid);
    },
    get size() {
      return records.size;
    },
  };
}

/** Ua security protocol id of the relay's TLS profile (TS 33.220 Annex H; mstore-protocol.md): 01 00 01 00 2F. */
export const RELAY_UA_PROTOCOL_ID = Uint8Array.of(0x01, 0x00, 0x01, 0x00, 0x2f);

/**
 * The lookup the simulated relay takes (its Zn interface): (B-TID, the NAF FQDN the request was for) ->
 * Ks_NAF, or null. `uaProtocolId` is the relay's own Ua protocol (default 01 00 01 00 2F).
 */
export function nafKeyLookup(store: KeyStore, uaProtocolId: Uint8Array = RELAY_UA_PROTOCOL_ID): (btid: string, nafFqdn: string) => Uint8Array | null {
  return (btid, nafFqdn) => store.nafKey(btid, networkNafId(nafFqdn, uaProtocolId));
}
