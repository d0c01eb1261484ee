// Secrets scan for the GBA flows: watches every HTTP exchange served in this process (Node's http
// diagnostics channels, so the simulated BSF and relay need no test hooks), rebuilds each secret of the
// runs from what the simulated card and carrier actually used, and looks for them in captured output in
// every encoding a leak could take. Leaks are reported by NAME only, never by value.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromBase64, toBase64, toHex, utf8 } from '../../shared/bytes.js';
import { milenage } from '../../main/protocol/milenage.js';
import { deriveKsNaf } from '../../main/protocol/gba/kdf.js';

/** HTTP seen in this process: Authorization values sent (distinct), WWW-Authenticate challenges answered. */
export interface Traffic {
  authorizations: string[];
  challenges: string[];
  stop(): void;
}

function isRequest(v: unknown): v is IncomingMessage {
  return typeof v === 'object' && v !== null && 'headers' in v && typeof v.headers === 'object';
}
function isResponse(v: unknown): v is ServerResponse {
  return typeof v === 'object' && v !== null && 'getHeader' in v && typeof v.getHeader === 'function';
}

/** Starts recording the HTTP traffic of the servers and clients running in this process. */
export function captureServerTraffic(): Traffic {
  const t: Traffic = { authorizations: [], challenges: [], stop: () => {} };
  const keep = (a: unknown) => {
    if (typeof a === 'string' && !t.authorizations.includes(a)) t.authorizations.push(a);
  };
  const onRequest = (m: unknown) => {
    const req = typeof m === 'object' && m !== null && 'request' in m ? m.request : undefined;
    if (isRequest(req)) keep(req.headers.authorization);
  };
  // Client side too: servers that parse HTTP themselves (the simulated relay runs on node:net) are not on
  // the server channels, but a client in this process is.
  const onClientRequest = (m: unknown) => {
    const req: unknown = typeof m === 'object' && m !== null && 'request' in m ? m.request : undefined;
    if (typeof req === 'object' && req !== null && 'getHeader' in req && typeof req.getHeader === 'function') keep(req.getHeader('authorization'));
  };
  const onResponse = (m: unknown) => {
    const res: unknown = typeof m === 'object' && m !== null && 'response' in m ? m.response : undefined;
    // Headers given to writeHead() are not kept for getHeader(); the finished response's head text is.
    const head = typeof res === 'object' && res !== null && '_header' in res && typeof res._header === 'string' ? res._header : '';
    for (const line of head.split('\r\n')) if (/^www-authenticate:/i.test(line)) t.challenges.push(line.slice(line.indexOf(':') + 1).trim());
    if (head === '' && isResponse(res)) {
      const h = res.getHeader('www-authenticate');
      for (const v of Array.isArray(h) ? h : h === undefined ? [] : [String(h)]) t.challenges.push(v);
    }
  };
  subscribe('http.server.request.start', onRequest);
  subscribe('http.server.response.finish', onResponse);
  subscribe('http.client.request.start', onClientRequest);
  t.stop = () => {
    unsubscribe('http.client.request.start', onClientRequest);
    unsubscribe('http.server.request.start', onRequest);
    unsubscribe('http.server.response.finish', onResponse);
  };
  return t;
}

/** One secret: a name for reports and its forms (bytes, or text such as a PIN or a header value). */
export interface Secret {
  name: string;
  value: Uint8Array | string;
}

/** The subscriber's long-term keys (from the simulated card's profile) and what the NAF key is for. */
export interface Subscriber {
  k: Uint8Array;
  opc: Uint8Array;
  impi: string;
  nafId: Uint8Array;
}

/**
 * Every secret of the AKA runs seen in `traffic`: RAND and AUTN from the BSF's AKAv1-MD5 nonces
 * (RFC 3310 3.2: base64(RAND || AUTN || server data)); RES, CK, IK from MILENAGE (TS 35.206; f2-f4 do not
 * depend on SQN); Ks = CK || IK and Ks_NAF (TS 33.220 4.5.2, B.3); and every Authorization value with its
 * response hash.
 */
export function secretsOf(traffic: Pick<Traffic, 'authorizations' | 'challenges'>, sub: Subscriber): Secret[] {
  const out: Secret[] = [];
  for (const ch of traffic.challenges) {
    if (!/AKAv1-MD5/i.test(ch)) continue;
    const nonce = /nonce="([^"]*)"/.exec(ch)?.[1];
    if (nonce === undefined || nonce === '') continue;
    const raw = fromBase64(nonce);
    if (raw.length < 32) continue;
    const rand = raw.slice(0, 16);
    const autn = raw.slice(16, 32);
    const m = milenage(sub.k, sub.opc, rand, new Uint8Array(6), new Uint8Array(2));
    const ks = new Uint8Array([...m.ck, ...m.ik]);
    out.push(
      { name: 'RAND', value: rand },
      { name: 'AUTN', value: autn },
      { name: 'RES', value: m.res },
      { name: 'CK', value: m.ck },
      { name: 'IK', value: m.ik },
      { name: 'Ks', value: ks },
      { name: 'Ks_NAF', value: deriveKsNaf(ks, 'gba-me', rand, sub.impi, sub.nafId) },
    );
  }
  for (const a of traffic.authorizations) {
    const response = /response="([0-9a-f]+)"/i.exec(a)?.[1];
    // The empty first Ub request (TS 24.109 A.2) carries only the IMPI: nothing secret in it.
    if (response === undefined || response === '') continue;
    out.push({ name: 'Authorization header', value: a }, { name: 'digest response', value: response });
  }
  return out;
}

function forms(v: Uint8Array | string): Array<{ how: string; text: string }> {
  if (typeof v === 'string') {
    const b = utf8(v);
    return [
      { how: 'text', text: v },
      { how: 'base64', text: toBase64(b).replace(/=+$/, '') },
      { how: 'hex', text: toHex(b) },
    ];
  }
  const b64 = toBase64(v).replace(/=+$/, '');
  return [
    { how: 'hex', text: toHex(v) },
    { how: 'HEX', text: toHex(v).toUpperCase() },
    { how: 'base64', text: b64 },
    { how: 'base64url', text: b64.replace(/\+/g, '-').replace(/\//g, '_') },
  ];
}

/**
 * Names of the secrets (and encodings) found in `output`. `allowed` strings are removed first: the B-TID
 * is base64(RAND)@BSF-domain by definition (TS 33.220 4.5.2) and is meant to be shown and logged.
 */
export function findLeaks(output: string, secrets: readonly Secret[], allowed: readonly string[] = []): string[] {
  let text = output;
  for (const a of allowed) if (a !== '') text = text.split(a).join('<allowed>');
  const found = new Set<string>();
  for (const s of secrets) {
    for (const f of forms(s.value)) if (f.text.length >= 4 && text.includes(f.text)) found.add(`${s.name} (${f.how})`);
  }
  return [...found].sort();
}

/** The B-TID of each RAND seen (TS 33.220 4.5.2: base64(RAND)@BSF server name): shown and logged by design. */
export function btidsOf(secrets: readonly Secret[], bsfDomain: string): string[] {
  return secrets.flatMap((s) => (s.name === 'RAND' && typeof s.value !== 'string' ? [`${toBase64(s.value)}@${bsfDomain}`] : []));
}

/** A plain-TCP tap in front of a plain-HTTP server: what a client in ANOTHER process sent and got. */
export interface Tap {
  /** The target's URL with the tap's port. */
  url: string;
  /** Authorization values sent and WWW-Authenticate values answered through the tap so far. */
  traffic(): Pick<Traffic, 'authorizations' | 'challenges'>;
  close(): Promise<void>;
}

function headerValues(text: string, name: string): string[] {
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'gim');
  return [...text.matchAll(re)].map((m) => (m[1] ?? '').replace(/\r$/, ''));
}

/** Starts a tap forwarding to `target` (http://127.0.0.1:port/...); the Host header passes unchanged. */
export async function startTap(target: string): Promise<Tap> {
  const t = new URL(target);
  let sent = '';
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(t.port), t.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => void (sent += d.toString('latin1')));
    upstream.on('data', (d: Buffer) => void (received += d.toString('latin1')));
    client.pipe(upstream);
    upstream.pipe(client);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const url = new URL(target);
  url.port = String(port);
  return {
    url: url.href,
    traffic: () => ({ authorizations: [...new Set(headerValues(sent, 'authorization'))], challenges: headerValues(received, 'www-authenticate') }),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
