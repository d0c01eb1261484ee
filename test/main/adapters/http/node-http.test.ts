import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_HEADER_BYTES, createNodeHttp } from '../../../../main/adapters/http/node-http.js';
import { CancelledError, HttpError, NetError } from '../../../../main/errors.js';
import { createTestCa, type TestCa } from '../../../support/test-ca.js';

const opts = { connectTimeoutMs: 2000, readTimeoutMs: 2000, maxResponseBytes: 1024 * 1024 };

function port(s: net.Server): number {
  return (s.address() as AddressInfo).port;
}

function listen<T extends net.Server>(s: T): Promise<T> {
  track(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

/** A raw TCP server: records what the client sent and answers with `respond(socket, requestText)`. */
function rawServer(respond: (sock: net.Socket, request: string) => void): Promise<net.Server & { seen: string[] }> {
  const seen: string[] = [];
  const s = net.createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n\r\n')) {
        seen.push(buf);
        respond(sock, buf);
        buf = '';
      }
    });
    sock.on('error', () => {});
  });
  return listen(Object.assign(s, { seen }));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (e instanceof NetError || e instanceof HttpError || e instanceof CancelledError) return e.code;
    throw e;
  }
}

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
function track(s: net.Server): void {
  s.on('connection', (c: net.Socket) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
}
afterAll(async () => {
  for (const c of sockets) c.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe('node-http adapter over loopback', () => {
  it('GET with exact header names, repeated response headers kept in order, new connection each time', async () => {
    const connections: number[] = [];
    let n = 0;
    const s = await listen(
      http.createServer((req, res) => {
        connections.push(n);
        res.setHeader('WWW-Authenticate', ['Digest realm="a", nonce="1"', 'Basic realm="b"']);
        res.end(JSON.stringify({ rawHeaders: req.rawHeaders, url: req.url, method: req.method }));
      }),
    );
    s.on('connection', () => n++);
    servers.push(s);
    const client = createNodeHttp(opts);
    const url = `http://127.0.0.1:${port(s)}/a/tel%3A%2B1/x%3Fy?z=1`;
    const r = await client.request({ method: 'GET', url, headers: { 'User-Agent': '3gpp-gba', 'X-TMUS-IMEI': '359000000000000' } });
    const echo = JSON.parse(new TextDecoder().decode(r.body)) as { rawHeaders: string[]; url: string; method: string };
    expect(r.status).toBe(200);
    expect(r.statusText).toBe('OK');
    expect(echo.url).toBe('/a/tel%3A%2B1/x%3Fy?z=1');
    expect(echo.rawHeaders).toContain('X-TMUS-IMEI');
    expect(echo.rawHeaders).toContain('User-Agent');
    expect(r.headers['www-authenticate']).toEqual(['Digest realm="a", nonce="1"', 'Basic realm="b"']);
    await client.request({ method: 'GET', url, headers: {} });
    expect(n).toBe(2);
  });

  it('sends a body with Content-Length (DELETE with a JSON body as the relay needs)', async () => {
    const s = await rawServer((sock) => sock.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'));
    servers.push(s);
    const r = await createNodeHttp(opts).request({ method: 'DELETE', url: `http://127.0.0.1:${port(s)}/x`, headers: { 'Content-Type': 'application/json' }, body: new TextEncoder().encode('{"a":1}') });
    expect(r.status).toBe(204);
    expect(r.body).toHaveLength(0);
    expect(s.seen[0]).toMatch(/^DELETE \/x HTTP\/1\.1\r\n/);
    expect(s.seen[0]).toContain('Content-Length: 7\r\n');
    expect(s.seen[0]).not.toMatch(/transfer-encoding/i);
  });

  it('HTTP/1.0 response without Content-Length is delimited by close', async () => {
    const s = await rawServer((sock) => {
      sock.write('HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", nonce="n"\r\n\r\npart one, ');
      setTimeout(() => sock.end('part two'), 50);
    });
    servers.push(s);
    const r = await createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} });
    expect(r.status).toBe(401);
    expect(r.statusText).toBe('Unauthorized');
    expect(new TextDecoder().decode(r.body)).toBe('part one, part two');
  });

  it('HTTP/1.0 server dropping mid-body (fewer bytes than Content-Length) -> http.badResponse', async () => {
    const s = await rawServer((sock) => {
      sock.write('HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly thirty bytes of the body.');
      setTimeout(() => sock.destroy(), 30);
    });
    servers.push(s);
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} }))).toBe('http.badResponse');
  });

  it('a 64 KiB Content-Disposition (and 200 KiB of headers in all) does not stop a download (issue 11)', async () => {
    const name = `${'n'.repeat(64 * 1024)}.amr`;
    const s = await rawServer((sock) =>
      sock.end(`HTTP/1.1 200 OK\r\nContent-Type: audio/amr\r\nContent-Disposition: attachment; filename="${name}"\r\nX-Pad: ${'p'.repeat(130_000)}\r\nContent-Length: 6\r\n\r\n#!AMR\n`),
    );
    servers.push(s);
    const r = await createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} });
    expect(r.status).toBe(200);
    expect(new TextDecoder().decode(r.body)).toBe('#!AMR\n');
    expect(r.headers['content-disposition']?.[0]?.length).toBe(name.length + 'attachment; filename=""'.length);
  });

  it('garbage instead of HTTP, or oversized headers -> http.badResponse', async () => {
    const garbage = await rawServer((sock) => sock.end('HELLO THERE\r\n\r\n'));
    // Above the stated cap (MAX_RESPONSE_HEADER_BYTES, 256 KiB) the head is refused.
    const bigHeader = await rawServer((sock) => sock.end(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="${'r'.repeat(MAX_RESPONSE_HEADER_BYTES + 1000)}"\r\n\r\n`));
    servers.push(garbage, bigHeader);
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(garbage)}/`, headers: {} }))).toBe('http.badResponse');
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(bigHeader)}/`, headers: {} }))).toBe('http.badResponse');
  });

  it('response size cap -> http.badResponse (declared and streamed)', async () => {
    const declared = await rawServer((sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n'));
    const streamed = await rawServer((sock) => {
      sock.write('HTTP/1.0 200 OK\r\n\r\n');
      sock.end(Buffer.alloc(5000, 0x61));
    });
    servers.push(declared, streamed);
    const small = createNodeHttp({ ...opts, maxResponseBytes: 1000 });
    expect(await codeOf(small.request({ method: 'GET', url: `http://127.0.0.1:${port(declared)}/`, headers: {} }))).toBe('http.badResponse');
    expect(await codeOf(small.request({ method: 'GET', url: `http://127.0.0.1:${port(streamed)}/`, headers: {} }))).toBe('http.badResponse');
  });

  it('connection refused -> net.offline', async () => {
    const s = await listen(net.createServer());
    const p = port(s);
    await new Promise((r) => s.close(r));
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${p}/`, headers: {} }))).toBe('net.offline');
  });

  it('DNS failure -> net.offline', async () => {
    expect(await codeOf(createNodeHttp({ ...opts, connectTimeoutMs: 10_000 }).request({ method: 'GET', url: 'http://no-such-host.invalid/', headers: {} }))).toBe('net.offline');
  });

  it('read timeout: headers never come -> net.timeout', async () => {
    const s = await rawServer(() => {});
    servers.push(s);
    const e = await createNodeHttp({ ...opts, readTimeoutMs: 150 })
      .request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).code).toBe('net.timeout');
    expect((e as NetError).detail?.phase).toBe('read');
  });

  it('read timeout mid-body -> net.timeout', async () => {
    const s = await rawServer((sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    servers.push(s);
    expect(await codeOf(createNodeHttp({ ...opts, readTimeoutMs: 150 }).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} }))).toBe('net.timeout');
  });

  it('AbortSignal cancels a pending request -> CancelledError; an aborted signal never connects', async () => {
    const s = await rawServer(() => {});
    servers.push(s);
    const ac = new AbortController();
    const p = createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} }, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await codeOf(p)).toBe('op.cancelled');
    const before = s.seen.length;
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `http://127.0.0.1:${port(s)}/`, headers: {} }, ac.signal))).toBe('op.cancelled');
    expect(s.seen.length).toBe(before);
  });

  it('refuses header injection and non-http schemes', async () => {
    const client = createNodeHttp(opts);
    await expect(client.request({ method: 'GET', url: 'http://127.0.0.1:1/', headers: { 'X-A': 'a\r\nX-B: b' } })).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(client.request({ method: 'GET', url: 'file:///etc/passwd', headers: {} })).rejects.toMatchObject({ code: 'config.invalid' });
  });
});

describe('node-http adapter over TLS', () => {
  let ca: TestCa;
  let server: https.Server;
  beforeAll(async () => {
    ca = createTestCa();
    server = await listen(https.createServer({ key: ca.keyPem, cert: ca.certPem }, (_req, res) => res.end('secure')));
    servers.push(server);
  });
  afterAll(() => ca.cleanup());

  it('trusts a server signed by a CA added through caPem', async () => {
    const r = await createNodeHttp({ ...opts, caPem: [ca.caPem] }).request({ method: 'GET', url: `https://127.0.0.1:${port(server)}/`, headers: {} });
    expect(new TextDecoder().decode(r.body)).toBe('secure');
  });

  it('the same server without the CA -> net.tls (verification is always on)', async () => {
    expect(await codeOf(createNodeHttp(opts).request({ method: 'GET', url: `https://127.0.0.1:${port(server)}/`, headers: {} }))).toBe('net.tls');
  });

  it('a certificate for another name -> net.tls', async () => {
    // The certificate covers 127.0.0.1 and localhost only; 127.0.0.2 reaches the same loopback server.
    const other = await new Promise<https.Server>((resolve) => {
      const s = https.createServer({ key: ca.keyPem, cert: ca.certPem }, (_q, res) => res.end('x'));
      s.listen(0, '127.0.0.2', () => resolve(s));
    }).catch(() => null);
    if (other === null) throw new Error('cannot listen on 127.0.0.2: loopback /8 is required for this test');
    servers.push(other);
    expect(await codeOf(createNodeHttp({ ...opts, caPem: [ca.caPem] }).request({ method: 'GET', url: `https://127.0.0.2:${port(other)}/`, headers: {} }))).toBe('net.tls');
  });

  it('a TLS handshake that never completes -> net.timeout in the connect phase', async () => {
    const silent = await rawServer(() => {});
    servers.push(silent);
    const e = await createNodeHttp({ ...opts, caPem: [ca.caPem], connectTimeoutMs: 200 })
      .request({ method: 'GET', url: `https://127.0.0.1:${port(silent)}/`, headers: {} })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'net.timeout', detail: { phase: 'connect' } });
  });
});
