// Contracts between the engine's services, fixed up front so card, GBA and mstore work can proceed in
// parallel. The card service implements AkaCard; the GBA service consumes it and implements
// AuthenticatedHttp; the mstore client consumes that.
import type { HttpRequest, HttpResponse, OpOptions } from './ports.js';

/** What the card says about its subscriber, read once per card session. */
export interface SubscriberIdentity {
  /** Which application answers AUTHENTICATE: the ISIM, or the USIM fallback when there is no ISIM. */
  app: 'ISIM' | 'USIM';
  /** Private identity (NAI), e.g. `310260123456789@msg.pc.t-mobile.com`; USIM fallback per TS 23.003 13.3. */
  impi: string;
  /** Public identities (EF_IMPU records), in card order. Empty with the USIM fallback. */
  impu: string[];
  /** Home network domain (EF_DOMAIN), or null. */
  domain: string | null;
  /** E.164 MSISDN derived from a `tel:` or `sip:+...` IMPU, or null. */
  msisdn: string | null;
  /** IMSI and its MCC/MNC when the USIM was read (needed for the TS 23.003 BSF address without an ISIM). */
  imsi: string | null;
  mcc: string | null;
  mnc: string | null;
  /** 'GBA_U' when the ISIM service table has service 2 (GBA) and the card runs GBA commands; else 'GBA_ME'. */
  gba: 'GBA_U' | 'GBA_ME';
}

/** Outcome of AKA on the card. MAC failure (SW 9862) is an outcome, not an exception. */
export type AkaOutcome =
  | { kind: 'ok'; res: Uint8Array; ck?: Uint8Array; ik?: Uint8Array }
  | { kind: 'syncFailure'; auts: Uint8Array }
  | { kind: 'macFailure' };

/** The card as GBA needs it. All methods check `signal` between APDUs and throw CardError on card errors. */
export interface AkaCard {
  readonly identity: SubscriberIdentity;
  /** AUTHENTICATE, 3G/IMS context (P2 0x81): RES, CK, IK, or AUTS, or MAC failure. */
  authenticate(rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal): Promise<AkaOutcome>;
  /** GBA_U bootstrapping mode (P2 0x84, tag DD): RES only (CK/IK stay on the card), or AUTS, or MAC failure. */
  gbaBootstrap(rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal): Promise<AkaOutcome>;
  /** GBA_U: writes B-TID and key lifetime to EF_GBABP (TS 31.103 4.2.x) after a successful bootstrap. */
  gbaStoreBootstrap(btid: string, lifetime: string, signal?: AbortSignal): Promise<void>;
  /** GBA_U NAF derivation mode (P2 0x84, tag DE): Ks_ext_NAF for NAF_Id and IMPI. */
  gbaDeriveNafKey(nafId: Uint8Array, impi: string, signal?: AbortSignal): Promise<Uint8Array>;
}

/**
 * HTTP to the NAF (the mstore relay) with GBA digest authentication done underneath: the unauthenticated
 * probe (must get 401) and the bootstrap run concurrently, then the authenticated request; one fresh
 * bootstrap and retry on a 401 after authenticating, then HttpError('http.unauthorized').
 * Returns the final response whatever its status (the caller maps 4xx/5xx).
 */
export interface AuthenticatedHttp {
  request(req: HttpRequest, opts?: OpOptions): Promise<HttpResponse>;
}
