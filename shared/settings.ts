import { z } from 'zod';

/** The production relay base URL (mStoreRelay), from the protocol notes. */
export const DEFAULT_SERVER = 'https://wsg.t-mobile.com/phone20/mStoreRelay';
/** The BSF seen in public T-Mobile client code; TS 23.003 16.2 derivation gives the same host (UNCONFIRMED). */
export const DEFAULT_BSF = 'https://bsf.msg.pc.t-mobile.com/';
/** Ua security protocol identifier (TS 33.220 Annex H): 3GPP, shared-key TLS w/ cert NAF auth, 0x002F. */
export const DEFAULT_UA_PROTOCOL_ID = '010001002f';

/**
 * The lower-case host (IPv6 in brackets) of an absolute `scheme://host...` URL, or null for anything else
 * (including control characters or white space anywhere, which URL parsers silently drop). One pass.
 */
function urlHost(url: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(url)) return null;
  const start = url.indexOf('://');
  if (start < 0) return null;
  let end = start + 3;
  while (end < url.length && !'/?#\\'.includes(url.charAt(end))) end++;
  const authority = url.slice(start + 3, end);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return close < 0 ? null : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(':');
  return colon < 0 ? hostPort : hostPort.slice(0, colon);
}

/** True for `localhost`, 127.0.0.0/8 and `[::1]`: the only hosts plain http:// may go to (demo mode, tests). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** https:// to any host; http:// only to a loopback host. Nothing else (file:, javascript:, ...). */
export function isAllowedServiceUrl(url: string): boolean {
  const host = urlHost(url);
  if (host === null || host === '') return false;
  const scheme = url.slice(0, url.indexOf('://')).toLowerCase();
  return scheme === 'https' || (scheme === 'http' && isLoopbackHost(host));
}

/** A server URL as settings accept it: see {@link isAllowedServiceUrl}. */
const ServiceUrl = z
  .string()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, abort: true }))
  .refine(isAllowedServiceUrl, { message: 'must be an https:// URL (http:// only for a loopback address)' });

// A NAF host as main/protocol/gba/naf-id.ts isNafHost accepts it (shared/ cannot import main/): an FQDN or
// IPv4 address, or an IPv6 address without brackets. Not a realm, no port, no scheme.
const FQDN = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^(?=.*:.*:)[0-9a-f:]*(?::\d{1,3}(?:\.\d{1,3}){3})?$/i;
const NafHost = z
  .string()
  .min(1)
  .max(253)
  .refine((h) => FQDN.test(h) || (h.length <= 45 && IPV6.test(h)), { message: 'must be a host name or an IPv6 address without brackets' });

/** One extra CA: PEM text holding at least one certificate, at most 64 KiB. */
const CaPem = z.string().max(64 * 1024).refine((pem) => pem.includes('-----BEGIN CERTIFICATE-----'), { message: 'must be PEM text with a certificate' });

/**
 * User settings. Everything nobody could confirm (BSF address, IMEI header, key reuse) lives here with a
 * sensible default, never as a buried constant. Validated with zod wherever it enters (file, CLI, IPC).
 */
export const SettingsSchema = z.object({
  /** Relay base URL; every request goes to this host only. */
  server: ServiceUrl.default(DEFAULT_SERVER),
  /** 'default' = DEFAULT_BSF; 'derive' = TS 23.003 16.2 from the IMPI/IMSI; otherwise a URL. */
  bsf: z.union([z.literal('default'), z.literal('derive'), ServiceUrl]).default('default'),
  /**
   * Expert override of the NAF FQDN in NAF_Id (TS 33.220 Annex H) and the expected digest realm. Absent =
   * the host of `server` (no port, lower case, an IPv6 address without brackets), which is what the NAF
   * itself uses; set it only when the relay is reached under another name than the one it keys for.
   */
  nafFqdn: NafHost.optional(),
  /** Ua security protocol id as hex (5 bytes). */
  uaProtocolId: z.string().regex(/^[0-9a-fA-F]{10}$/).default(DEFAULT_UA_PROTOCOL_ID),
  /** Optional IMEI sent to the BSF as X-TMUS-IMEI (UNCONFIRMED whether required). */
  imei: z.string().regex(/^\d{14,16}$/).optional(),
  /** MSISDN override in E.164; default: from the ISIM IMPU. */
  msisdn: z.string().regex(/^\+\d{6,15}$/).optional(),
  /** Extra trusted CA certificates (PEM text) added to the system store; verification is never disabled. */
  caPem: z.array(CaPem).max(16).default([]),
  /** Reuse a bootstrap within its B-TID lifetime (off: bootstrap per request, as the protocol notes say). */
  reuseBootstrap: z.boolean().default(false),
  /** Reader name or substring; default: the first reader with a card. */
  reader: z.string().max(512).optional(),
  /** Timeouts in milliseconds (the reference client uses 10 s connect, 60 s read); 1 s to 2 min, 1 s to 10 min. */
  connectTimeoutMs: z.number().int().min(1_000).max(120_000).default(10_000),
  readTimeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
  /** Largest HTTP response accepted, in bytes: 1 MiB (a voicemail or a listing page fits) to 1 GiB. */
  maxResponseBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  /** Background sync of the library while the app runs: minutes between checks (also on card insertion and on demand). */
  syncIntervalMinutes: z.number().int().min(1).max(24 * 60).default(5),
  /** Warn this many days before the server deletes a voicemail not marked kept; 0 = never. */
  expiryWarningDays: z.number().int().min(0).max(60).default(3),
  /** "Inbox nearly full" when this many messages or fewer are left before the quota; 0 = never. */
  inboxFullWarningMessages: z.number().int().min(0).max(100).default(3),
  /**
   * File names of exports from the window: placeholders {date} {time} {from} {duration} {ext} (and the
   * CLI's others); absent = '{date} {time} {from} ({duration}).{ext}'. One line, no folders.
   */
  exportTemplate: z
    .string()
    .min(1)
    .max(200)
    .refine((t) => !/[/\\]/.test(t) && !Array.from(t).some((c) => c.charCodeAt(0) < 0x20), 'one file name, no folders')
    .optional(),
  /** A manifest written beside exports from the window: none, JSON or CSV. */
  exportManifest: z.enum(['none', 'json', 'csv']).default('none'),
  /**
   * The folder of the last export from the window, offered first by the next export's folder dialog (main
   * sets it after the user picked a folder; it is never a place main writes to without the dialog).
   */
  exportFolder: z
    .string()
    .min(1)
    .max(4096)
    .refine((t) => !Array.from(t).some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters')
    .optional(),
});

/**
 * Settings that only shape what the window and exports do (names, manifest, folder, reminders): changing
 * them never needs a new card, GBA or server session.
 */
export const LOCAL_ONLY_SETTINGS = ['exportTemplate', 'exportManifest', 'exportFolder', 'syncIntervalMinutes', 'expiryWarningDays', 'inboxFullWarningMessages'] as const;

/** Validated settings. */
export type Settings = z.infer<typeof SettingsSchema>;

/** Settings with every default applied. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
