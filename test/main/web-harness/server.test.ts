// The loopback web harness: token on every call, Host and Origin checks, the contract over HTTP,
// progress over Server-Sent Events to the calling client only.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { createImplementations } from '../../../main/ipc/implementations.js';
import { startWebHarness, type WebHarness } from '../../../main/web-harness/server.js';
import { createStandInEngine } from '../../support/stand-in-engine.js';
import { memoryPinStore } from '../../../main/web-harness/run.js';
import { fromWire, toWire } from '../../../shared/ipc/wire.js';

const OP = '0b6f5a6e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
let dir: string;
let h: WebHarness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-harness-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(dir, 'shim.js'), '/* shim */');
  const engine = createStandInEngine(() => Date.UTC(2026, 0, 10));
  const dispatcher = createDispatcher(createImplementations(engine, memoryPinStore(), { chooseExportDirectory: async () => dir }));
  const wav = new Uint8Array(100).map((_, i) => i);
  h = await startWebHarness({ dispatcher, rendererDir: join(dir, 'renderer'), shimFile: join(dir, 'shim.js'), audio: (id) => (id === 'VV-Mail/Inbox/x' ? wav : undefined) });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.origin}${path}`, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${h.token}` });

describe('web harness', () => {
  it('listens on loopback with a long random token', () => {
    expect(h.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(h.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses calls without or with a wrong token', async () => {
    expect((await raw('/index.html')).status).toBe(403);
    expect((await raw('/ipc/card:status', { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await raw('/ipc/card:status', { method: 'POST', body: '{}', headers: { Authorization: 'Bearer 00' } })).status).toBe(403);
    expect((await raw(`/?token=${'0'.repeat(48)}`)).status).toBe(403);
  });

  it('trades the entry token for an HttpOnly cookie and injects the shim', async () => {
    const entry = await raw(`/?token=${h.token}`);
    expect(entry.status).toBe(303);
    const cookie = String(entry.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(entry.headers['set-cookie'])).toContain('HttpOnly');
    const page = await raw('/index.html', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/harness/api-shim.js"></script>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await raw('/index.html', { headers: { ...auth(), Host: 'evil.example' } })).status).toBe(421);
    expect((await raw('/ipc/card:status', { method: 'POST', body: '{}', headers: { ...auth(), Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('refuses paths outside the renderer folder', async () => {
    expect((await raw('/..%2fshim.js', { headers: auth() })).status).toBe(404);
    expect((await raw('/%E0%A4%A', { headers: auth() })).status).toBe(400);
  });

  it('answers the contract with Results, bytes included', async () => {
    const list = fromWire((await raw('/ipc/voicemail:list', { method: 'POST', headers: auth(), body: toWire({ opId: OP }) })).body);
    expect(list).toMatchObject({ ok: true });
    const audio = fromWire((await raw('/ipc/voicemail:audio', { method: 'POST', headers: auth(), body: toWire({ id: 'VV-Mail/Inbox/demo-0001', opId: OP }) })).body);
    expect(audio).toMatchObject({ ok: true, value: { durationSec: 4 } });
    const wav = (audio as { value: { wav: Uint8Array } }).value.wav;
    expect(wav).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe('RIFF');
  });

  it('serves decoded audio with Range, behind the token', async () => {
    expect((await raw('/media/audio/VV-Mail%2FInbox%2Fx')).status).toBe(403);
    const whole = await raw('/media/audio/VV-Mail%2FInbox%2Fx', { headers: auth() });
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const part = await raw('/media/audio/VV-Mail%2FInbox%2Fx', { headers: { ...auth(), Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/100');
    expect((await raw('/media/audio/unknown', { headers: auth() })).status).toBe(404);
  });

  it('answers malformed bodies and invalid requests with ipc.invalidRequest', async () => {
    for (const body of ['not json', toWire({ opId: 'nope' }), toWire(null)]) {
      const res = fromWire((await raw('/ipc/voicemail:list', { method: 'POST', headers: auth(), body })).body);
      expect(res).toMatchObject({ ok: false, error: { code: 'ipc.invalidRequest' } });
    }
    expect((await raw('/ipc/nothing:here', { method: 'POST', headers: auth(), body: '{}' })).status).toBe(404);
  });

  it('streams progress to the calling client only', async () => {
    const a = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    const b = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
    const received: Record<string, string> = { [a]: '', [b]: '' };
    const closers: (() => void)[] = [];
    await Promise.all(
      [a, b].map(
        (client) =>
          new Promise<void>((resolve) => {
            const req = request(`${h.origin}/events?client=${client}`, { headers: auth() }, (res) => {
              res.on('data', (c: Buffer) => {
                received[client] += c.toString();
                resolve();
              });
            });
            req.end();
            closers.push(() => req.destroy());
          }),
      ),
    );
    await raw('/ipc/voicemail:audio', { method: 'POST', headers: { ...auth(), 'X-Client-Id': a }, body: toWire({ id: 'VV-Mail/Inbox/demo-0002', opId: OP }) });
    await new Promise((r) => setTimeout(r, 50));
    closers.forEach((c) => c());
    expect(received[a], JSON.stringify(received)).toContain('event: op:progress');
    expect(received[a]).toContain('"phase":"download"');
    expect(received[b]).not.toContain('op:progress');
  });
});
