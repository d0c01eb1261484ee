// mstore URL builders and the checks on URLs the relay sends back (mstore-protocol.md "Servers",
// "Endpoints"; mstore-client-notes.md "Transport"). Pure: strings in, strings out.
import type { FolderKind } from '../../../shared/domain/mstore.js';

/** Folder ids of the two known folders (mstore-protocol.md `/folders/<FOLDER ID>`). */
export const FOLDER_IDS: Record<FolderKind, string> = {
  voicemail: '27a29814-dd8f-43ee-b768-19af98bf1d07',
  greeting: 'c1a7c823-fdd1-4857-8d44-b315444d2a83',
};

/** `parentFolderPath` values for uploads. */
export const FOLDER_PATHS: Record<FolderKind, string> = {
  voicemail: '/VV-Mail/Inbox',
  greeting: '/VV-Mail/Greetings',
};

/** IMAP-style flags (mstore-protocol.md "flags"). */
export const FLAG_SEEN = '\\Seen';
export const FLAG_KEEP = '$MarkNotToDelete';
export const FLAG_GREETING_ON = '$CNS-Greeting-On';

/** The `tel:` URI of an E.164 MSISDN (`+12065550100` -> `tel:+12065550100`). */
export function telUri(msisdn: string): string {
  if (!/^\+\d{6,15}$/.test(msisdn)) throw new RangeError('MSISDN must be E.164 (+ and 6 to 15 digits)');
  return `tel:${msisdn}`;
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/** `<server>/oemclient/nms/v1/ums/<tel URI percent-encoded>`: the root of every endpoint. */
export function umsBase(server: string, msisdn: string): string {
  return `${trimSlash(server)}/oemclient/nms/v1/ums/${encodeURIComponent(telUri(msisdn))}`;
}

/** `/vvmserviceProfile` [GET, PUT]. */
export function profileUrl(ums: string): string {
  return `${ums}/vvmserviceProfile`;
}

/** `/folders/<id>`: the folder's resource URL (search scope). */
export function folderUrl(ums: string, kind: FolderKind): string {
  return `${ums}/folders/${FOLDER_IDS[kind]}`;
}

/** Folder quota: the query is percent-encoded INTO the path (`%3FattrFilter%3DQuota`); a real query gets 504. */
export function quotaUrl(ums: string, kind: FolderKind): string {
  return folderUrl(ums, kind) + encodeURIComponent('?attrFilter=Quota');
}

/** `/objects`: upload [POST]. */
export function objectsUrl(ums: string): string {
  return `${ums}/objects`;
}

/** `/objects/<path>`: object metadata, or a payload when given a payload path. The path must be checked first. */
export function objectUrl(ums: string, objectPath: string): string {
  assertSafeObjectPath(objectPath);
  return `${ums}/objects/${objectPath}`;
}

/** `/objects/<path>/flags/<flag>` [PUT sets, DELETE clears], flag percent-encoded (`%24CNS-Greeting-On`). */
export function flagUrl(ums: string, objectPath: string, flag: string): string {
  return `${objectUrl(ums, objectPath)}/flags/${encodeURIComponent(flag)}`;
}

/** `/objects/operations/search` [POST]. */
export function searchUrl(ums: string): string {
  return `${ums}/objects/operations/search`;
}

/** `/objects/operations/bulkUpdate` [POST]. */
export function bulkUpdateUrl(ums: string): string {
  return `${ums}/objects/operations/bulkUpdate`;
}

/** `/objects/operations/bulkDelete` [DELETE with a body]. */
export function bulkDeleteUrl(ums: string): string {
  return `${ums}/objects/operations/bulkDelete`;
}

const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

/**
 * Why an object path is unsafe, or null when it is a plain relative path we may append to our own base:
 * non-empty segments of URL path characters, no `.`/`..` segments, no encoded dot, slash, backslash or
 * percent (which could decode into traversal on the server or a proxy), no encoded control character,
 * `?` or `#` (escapes in either case, RFC 3986 2.1), no query or fragment.
 */
export function objectPathProblem(path: string): string | null {
  if (path.length === 0) return 'empty object path';
  if (path.length > 512) return 'object path too long';
  if (path.includes('\\')) return 'backslash in object path';
  if (/%(2e|2f|5c|25)/i.test(path)) return 'encoded dot, slash, backslash or percent in object path';
  // Control characters (NUL, CR, LF, ...) and the query / fragment delimiters, encoded: they would come
  // back as themselves wherever the path is decoded (the digest uri is).
  if (/%([01][0-9a-f]|7f|3f|23)/i.test(path)) return 'encoded control character, ? or # in object path';
  for (const seg of path.split('/')) {
    if (seg === '.' || seg === '..') return 'dot segment in object path';
    if (!SEGMENT.test(seg)) return 'invalid characters in object path';
  }
  return null;
}

/** Throws RangeError when {@link objectPathProblem} finds a problem. */
export function assertSafeObjectPath(path: string): void {
  const p = objectPathProblem(path);
  if (p !== null) throw new RangeError(p);
}

/** What URL parsing needs to know. */
export interface UrlTrust {
  /** The configured relay base URL (e.g. `https://wsg.t-mobile.com/phone20/mStoreRelay`): the only place requests go. */
  server: string;
  /**
   * Called (for a debug log) with each `host:port` a server URL names that is neither the configured
   * server's nor the production backend's. Such hosts are never contacted: only the path is used.
   */
  onUnexpectedHost?: (host: string) => void;
}

/** The backend the production relay names inside its extended URLs (mstore-protocol.md "Servers"); only for the debug log. */
const KNOWN_BACKEND_HOST = 'wsg.mstore.msg.eng.t-mobile.com';

const ABSOLUTE = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?(\?[^#\s]*)?$/i;

/** The lower-case host and port of an authority, or null (userinfo is never accepted from a server). */
function authorityOf(scheme: string, authority: string): { host: string; port: string } | null {
  if (authority.includes('@')) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!m || m[1] === undefined) return null;
  const port = m[2] ?? (scheme.toLowerCase() === 'https' ? '443' : '80');
  return { host: m[1].toLowerCase(), port: String(Number(port)) };
}

/**
 * The object (or payload) path in a URL from the server: everything after the last `/objects/`
 * (mstore-client-notes.md "Transport"). Any host and port, plain (`https://host/base/.../objects/<path>`)
 * or the relay's extended form (`https://host[:port]/<base>?path=http://<backend>:8082/oemclient/...`):
 * the relay does not rewrite the hosts it names (mstore-protocol.md "Servers"), so they say nothing about
 * where to send requests and are never contacted. The caller appends the result to the configured base.
 * The whole path must be free of traversal and the object path must pass {@link objectPathProblem}.
 * Returns null for anything else (not http(s), userinfo, a query other than `?path=<absolute URL>`,
 * traversal, no `/objects/`); the caller turns that into HttpError('http.badResponse').
 */
export function objectPathFromUrl(url: string, trust: UrlTrust): string | null {
  const outer = ABSOLUTE.exec(url);
  if (!outer) return null;
  const [, oScheme = '', oAuth = '', oPath = '', oQuery] = outer;
  const oa = authorityOf(oScheme, oAuth);
  if (!oa) return null;
  const hosts = [oa];
  let path: string;
  if (oQuery !== undefined) {
    // Extended form: the query is exactly `path=<absolute URL without a query>`.
    if (!oQuery.startsWith('?path=')) return null;
    const inner = ABSOLUTE.exec(oQuery.slice('?path='.length));
    if (!inner) return null;
    const [, iScheme = '', iAuth = '', iPath = '', iQuery] = inner;
    if (iQuery !== undefined) return null;
    const ia = authorityOf(iScheme, iAuth);
    if (!ia) return null;
    if (ia.host !== KNOWN_BACKEND_HOST) hosts.push(ia);
    path = iPath;
  } else {
    path = oPath;
  }
  // Traversal anywhere in the path (not only in the object part) means the URL is not what it claims.
  if (path.length < 2 || objectPathProblem(path.slice(1)) !== null) return null;
  const idx = path.lastIndexOf('/objects/');
  if (idx < 0) return null;
  const objectPath = path.slice(idx + '/objects/'.length);
  if (objectPathProblem(objectPath) !== null) return null;
  if (trust.onUnexpectedHost !== undefined) {
    const base = ABSOLUTE.exec(trust.server.replace(/\/+$/, ''));
    const ba = base ? authorityOf(base[1] ?? '', base[2] ?? '') : null;
    for (const h of hosts) if (h.host !== ba?.host || h.port !== ba.port) trust.onUnexpectedHost(`${h.host}:${h.port}`);
  }
  return objectPath;
}
