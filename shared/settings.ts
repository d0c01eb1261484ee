import { z } from 'zod';

/** The production relay base URL (mStoreRelay), from the protocol notes. */
export const DEFAULT_SERVER = 'https://wsg.t-mobile.com/phone20/mStoreRelay';
/** The BSF seen in public T-Mobile client code; TS 23.003 16.2 derivation gives the same host (UNCONFIRMED). */
export const DEFAULT_BSF = 'https://bsf.msg.pc.t-mobile.com/';
/** NAF FQDN used in NAF_Id and the digest realm. */
export const DEFAULT_NAF_FQDN = 'wsg.t-mobile.com';
/** Ua security protocol identifier (TS 33.220 Annex H): 3GPP, shared-key TLS w/ cert NAF auth, 0x002F. */
export const DEFAULT_UA_PROTOCOL_ID = '010001002f';

/**
 * User settings. Everything nobody could confirm (BSF address, IMEI header, key reuse) lives here with a
 * sensible default, never as a buried constant. Validated with zod wherever it enters (file, CLI, IPC).
 */
export const SettingsSchema = z.object({
  /** Relay base URL; every request goes to this host only. */
  server: z.url().default(DEFAULT_SERVER),
  /** 'default' = DEFAULT_BSF; 'derive' = TS 23.003 16.2 from the IMPI/IMSI; otherwise a URL. */
  bsf: z.union([z.literal('default'), z.literal('derive'), z.url()]).default('default'),
  /** NAF FQDN for NAF_Id (TS 33.220 Annex H). */
  nafFqdn: z.string().min(1).default(DEFAULT_NAF_FQDN),
  /** Ua security protocol id as hex (5 bytes). */
  uaProtocolId: z.string().regex(/^[0-9a-fA-F]{10}$/).default(DEFAULT_UA_PROTOCOL_ID),
  /** Optional IMEI sent to the BSF as X-TMUS-IMEI (UNCONFIRMED whether required). */
  imei: z.string().regex(/^\d{14,16}$/).optional(),
  /** MSISDN override in E.164; default: from the ISIM IMPU. */
  msisdn: z.string().regex(/^\+\d{6,15}$/).optional(),
  /** Extra trusted CA certificates (PEM text) added to the system store; verification is never disabled. */
  caPem: z.array(z.string()).default([]),
  /** Reuse a bootstrap within its B-TID lifetime (off: bootstrap per request, as the protocol notes say). */
  reuseBootstrap: z.boolean().default(false),
  /** Reader name or substring; default: the first reader with a card. */
  reader: z.string().optional(),
  /** Timeouts in milliseconds (the reference client uses 10 s connect, 60 s read). */
  connectTimeoutMs: z.number().int().positive().default(10_000),
  readTimeoutMs: z.number().int().positive().default(60_000),
  /** Largest HTTP response accepted, in bytes. */
  maxResponseBytes: z.number().int().positive().default(64 * 1024 * 1024),
});

/** Validated settings. */
export type Settings = z.infer<typeof SettingsSchema>;

/** Settings with every default applied. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
