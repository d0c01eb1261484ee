// The BSF's 200 OK body (TS 24.109 Annex C, content type application/vnd.3gpp.bsf+xml):
//   <BootstrappingInfo xmlns="uri:3gpp-gba"><btid>...</btid><lifetime>xs:dateTime</lifetime></BootstrappingInfo>
// Parsed strictly: no DTD or entity declarations, the root in namespace uri:3gpp-gba, exactly one btid and
// one lifetime, no unknown elements in that namespace (elements of other namespaces are tolerated, as the
// schema's extension point allows), a lifetime with an explicit time zone.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkBtid } from './btid.js';
import { GbaFormatError } from './format-error.js';

/** TS 24.109 Annex C namespace. */
export const GBA_NAMESPACE = 'uri:3gpp-gba';
/** Content type of the BSF's answer (TS 24.109 Annex C). */
export const BSF_CONTENT_TYPE = 'application/vnd.3gpp.bsf+xml';
/** Largest BootstrappingInfo document accepted. */
export const MAX_BOOTSTRAPPING_INFO_BYTES = 16 * 1024;

/** What the BSF returns after a successful bootstrap. */
export interface BootstrappingInfo {
  btid: string;
  /** Key lifetime exactly as sent (xs:dateTime), e.g. for EF_GBABP. */
  lifetime: string;
  /** The lifetime as milliseconds since the epoch. */
  expiresAt: number;
}

type Node = Record<string, unknown>;

function bad(message: string): never {
  throw new GbaFormatError('xml', message);
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The element name of a preserveOrder node (its one key besides ":@"), or null for text. */
function elementName(n: Node): string | null {
  const keys = Object.keys(n).filter((k) => k !== ':@');
  if (keys.length !== 1) bad('unexpected XML structure');
  const k = keys[0] ?? '';
  return k === '#text' ? null : k;
}

function attributes(n: Node): Record<string, string> {
  const a = n[':@'];
  if (a === undefined) return {};
  if (!isNode(a)) bad('unexpected XML attributes');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (typeof v !== 'string') bad('unexpected XML attribute value');
    out[k] = v;
  }
  return out;
}

function children(n: Node, name: string): Node[] {
  const c = n[name];
  if (!Array.isArray(c)) bad('unexpected XML structure');
  return c.map((x) => (isNode(x) ? x : bad('unexpected XML structure')));
}

/** Namespace scope: prefix ('' = default) -> URI, extended by an element's xmlns attributes. */
function scopeFor(parent: Map<string, string>, attrs: Record<string, string>): Map<string, string> {
  const scope = new Map(parent);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns') scope.set('', v);
    else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
  }
  return scope;
}

function resolve(name: string, scope: Map<string, string>): { ns: string | undefined; local: string } {
  const colon = name.indexOf(':');
  if (colon < 0) return { ns: scope.get(''), local: name };
  const prefix = name.slice(0, colon);
  const ns = scope.get(prefix);
  if (ns === undefined) bad('undeclared namespace prefix');
  return { ns, local: name.slice(colon + 1) };
}

function textOf(n: Node, name: string): string {
  let text = '';
  for (const c of children(n, name)) {
    if (elementName(c) !== null) bad(`<${name}> must hold text only`);
    const t = c['#text'];
    text += typeof t === 'string' ? t : String(t);
  }
  return text.trim();
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** xs:dateTime with a mandatory time zone, to epoch milliseconds; throws GbaFormatError('lifetime'). */
export function parseLifetime(s: string): number {
  const m = DATE_TIME.exec(s);
  if (!m) throw new GbaFormatError('lifetime', 'lifetime is not an xs:dateTime with a time zone');
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new GbaFormatError('lifetime', 'lifetime is not a valid date and time');
  }
  const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const tz = m[8] ?? 'Z';
  let offsetMin = 0;
  if (tz !== 'Z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 14 || om > 59) throw new GbaFormatError('lifetime', 'lifetime has an invalid time zone');
    offsetMin = (tz.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return utc + frac - offsetMin * 60_000;
}

/** Parses the BSF's BootstrappingInfo body. Throws GbaFormatError ('xml', 'btid' or 'lifetime'). */
export function parseBootstrappingInfo(body: Uint8Array): BootstrappingInfo {
  if (body.length === 0) bad('BootstrappingInfo body is empty');
  if (body.length > MAX_BOOTSTRAPPING_INFO_BYTES) bad('BootstrappingInfo body is too large');
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    bad('BootstrappingInfo body is not UTF-8');
  }
  // DTDs and entity declarations are never legitimate here (and are the XXE / billion-laughs vector).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) bad('BootstrappingInfo must not contain a DTD or entity declarations');
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) bad('BootstrappingInfo is not well-formed XML');
  let doc: unknown;
  try {
    doc = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      processEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      commentPropName: false,
    }).parse(xml);
  } catch {
    bad('BootstrappingInfo is not well-formed XML');
  }
  if (!Array.isArray(doc)) bad('unexpected XML structure');
  const roots: Node[] = [];
  for (const n of doc) {
    if (!isNode(n)) bad('unexpected XML structure');
    const name = elementName(n);
    if (name === null) {
      if (textOf({ t: [n] }, 't') !== '') bad('text outside the root element');
      continue;
    }
    if (name === '?xml') continue;
    if (name.startsWith('?')) bad('processing instructions are not allowed');
    roots.push(n);
  }
  const root = roots[0];
  if (root === undefined || roots.length !== 1) bad('BootstrappingInfo must have exactly one root element');
  const rootName = elementName(root) ?? '';
  const rootScope = scopeFor(new Map(), attributes(root));
  const r = resolve(rootName, rootScope);
  if (r.local !== 'BootstrappingInfo') bad('root element is not BootstrappingInfo');
  if (r.ns !== GBA_NAMESPACE) bad(`BootstrappingInfo is not in namespace ${GBA_NAMESPACE}`);

  let btid: string | undefined;
  let lifetime: string | undefined;
  for (const c of children(root, rootName)) {
    const name = elementName(c);
    if (name === null) {
      if (textOf({ t: [c] }, 't') !== '') bad('unexpected text inside BootstrappingInfo');
      continue;
    }
    if (name.startsWith('?')) bad('processing instructions are not allowed');
    const cr = resolve(name, scopeFor(rootScope, attributes(c)));
    if (cr.ns !== GBA_NAMESPACE) continue; // extension elements of other namespaces
    if (cr.local === 'btid') {
      if (btid !== undefined) bad('duplicate <btid>');
      btid = textOf(c, name);
    } else if (cr.local === 'lifetime') {
      if (lifetime !== undefined) bad('duplicate <lifetime>');
      lifetime = textOf(c, name);
    } else {
      bad('unknown element in BootstrappingInfo');
    }
  }
  if (btid === undefined) bad('missing <btid>');
  if (lifetime === undefined) bad('missing <lifetime>');
  return { btid: checkBtid(btid), lifetime, expiresAt: parseLifetime(lifetime) };
}

/** Serialises BootstrappingInfo (network side: the simulated BSF). Values are XML-escaped. */
export function buildBootstrappingInfo(btid: string, lifetime: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<BootstrappingInfo xmlns="${GBA_NAMESPACE}">\n  <btid>${esc(btid)}</btid>\n  <lifetime>${esc(lifetime)}</lifetime>\n</BootstrappingInfo>\n`;
}
