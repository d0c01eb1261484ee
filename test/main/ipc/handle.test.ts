// Contract tests for main/ipc: the only place Electron is mocked (a fake ipcMain and fake invoke events).
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_NAMES, methodName } from '../../../shared/ipc/channels.js';
import { contract, events, type Channel, type Req, type Res } from '../../../shared/ipc/contract.js';
import { defaultSettings } from '../../../shared/settings.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { QUOTA_ATTRIBUTES } from '../../../shared/domain/mstore.js';
import { AppConfigError, AudioError, CancelledError, CardError, FsError, GbaError, HttpError, NetError, throwIfAborted } from '../../../main/errors.js';
import { createDispatcher, type Implementations, type OpContext } from '../../../main/ipc/dispatch.js';
import { registerHandlers, type InvokeEventLike, type IpcMainLike } from '../../../main/ipc/handle.js';

const ORIGIN = 'app://vvm';
const QUOTA = Object.fromEntries(QUOTA_ATTRIBUTES.map((a) => [a, 1])) as Record<(typeof QUOTA_ATTRIBUTES)[number], number>;
const OP = '7f1c2c3e-8a4b-4c5d-9e6f-0a1b2c3d4e5f';

/** One valid request per channel; the mapped type makes a missing channel a type error. */
const VALID: { [C in Channel]: Req<C> } = {
  'card:status': {},
  'card:info': { opId: OP },
  'card:readers': { opId: OP },
  'diagnostics:run': { opId: OP },
  'log:reveal': {},
  'card:unlock': { pin: '1234', remember: false, opId: OP },
  'voicemail:list': { opId: OP },
  'voicemail:audio': { id: 'VV-Mail/Inbox/1', opId: OP },
  'voicemail:markRead': { ids: ['a'], read: true, opId: OP },
  'voicemail:delete': { ids: ['a'], opId: OP },
  'voicemail:export': { ids: ['a'], format: 'wav', opId: OP },
  'export:showFolder': {},
  'greeting:list': { opId: OP },
  'greeting:audio': { id: 'g1', opId: OP },
  'greeting:preview': { audio: new Uint8Array([1, 2, 3]), mimeType: 'audio/webm', opId: OP },
  'greeting:upload': { type: 'normal-greeting', audio: new Uint8Array([1, 2, 3]), mimeType: 'audio/webm', activate: true, opId: OP },
  'greeting:activate': { id: 'g1', opId: OP },
  'greeting:delete': { id: 'g1', opId: OP },
  'profile:get': { opId: OP },
  'profile:setActive': { active: true, opId: OP },
  'profile:changePin': { oldPin: '1234', newPin: '5678', opId: OP },
  'quota:get': { opId: OP },
  'settings:get': {},
  'settings:set': { settings: defaultSettings() },
  'settings:describeCa': { pem: '-----BEGIN CERTIFICATE-----' },
  'pin:store': { pin: '1234' },
  'pin:forget': {},
  'library:list': { search: 'smith' },
  'library:setNote': { id: 'VV-Mail/Inbox/1', notes: 'call back' },
  'library:markRead': { ids: ['VV-Mail/Inbox/1'], read: true },
  'library:archiveDelete': { ids: ['VV-Mail/Inbox/1'], opId: OP },
  'sync:now': { opId: OP },
  'sync:status': {},
  'op:cancel': { opId: OP },
};

/** Malformed variants every channel must refuse: wrong types, extra fields, bad fields. */
function malformed(channel: Channel): unknown[] {
  const valid = VALID[channel] as Record<string, unknown>;
  const variants: unknown[] = [undefined, null, 'x', 42, [], [valid], { ...valid, extra: 1 }];
  for (const key of Object.keys(valid)) {
    const { [key]: _dropped, ...without } = valid;
    variants.push(without);
    variants.push({ ...valid, [key]: { nested: true } });
  }
  return variants;
}

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<Res<Channel>>;

function fakeIpcMain(): IpcMainLike & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, listener: Handler) => void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as unknown as IpcMainLike & { handlers: Map<string, Handler> };
}

function fakeEvent(url: string, opts: { subFrame?: boolean; noFrame?: boolean } = {}) {
  const sent: { name: string; payload: unknown }[] = [];
  const mainFrame = { url };
  const frame = opts.subFrame ? { url } : mainFrame;
  const event = {
    senderFrame: opts.noFrame ? null : frame,
    sender: { mainFrame, isDestroyed: () => false, send: (name: string, payload: unknown) => void sent.push({ name, payload }) },
  } as unknown as InvokeEventLike;
  return { event, sent };
}

/** Implementations that answer a schema-valid value and record what they were called with. */
function recordingImpls(calls: { channel: Channel; req: unknown }[]): Implementations {
  const status = { state: 'ready', reader: 'demo', demo: true, pinStored: false, triesLeft: null } as const;
  const answers: { [C in Exclude<Channel, 'op:cancel'>]: unknown } = {
    'card:status': status,
    'card:info': { reader: 'demo', app: 'ISIM', impi: 'x@y', impu: [], msisdn: null, gba: 'GBA_ME' },
    'card:readers': [{ name: 'demo', cardPresent: true }],
    'diagnostics:run': { ok: true, steps: [{ id: 'service', title: 'Smart-card service', status: 'ok', detail: 'demo' }], requests: [] },
    'log:reveal': { shown: false },
    'card:unlock': status,
    'voicemail:list': [],
    'voicemail:audio': { wav: new Uint8Array(4), peaks: [0], durationSec: 1, url: null },
    'voicemail:markRead': undefined,
    'voicemail:delete': undefined,
    'voicemail:export': { written: 1, cancelled: false, failed: [], folder: '/tmp/x' },
    'export:showFolder': undefined,
    'greeting:list': [],
    'greeting:audio': { wav: new Uint8Array(4), peaks: [0], durationSec: 1, url: '/media/audio/g1' },
    'greeting:preview': { wav: new Uint8Array(4), peaks: [0], durationSec: 1, url: null, amr: new Uint8Array(38), encodedDurationSec: 0.02, truncated: false },
    'greeting:upload': undefined,
    'greeting:activate': undefined,
    'greeting:delete': undefined,
    'profile:get': { vvmOn: true, blocked: false, newUserTutorial: null, language: null, cosName: null, migrationDate: null, migrationStatus: null, attributes: {} },
    'profile:setActive': undefined,
    'profile:changePin': undefined,
    'quota:get': { voicemail: QUOTA, greeting: QUOTA },
    'settings:get': defaultSettings(),
    'settings:set': defaultSettings(),
    'settings:describeCa': { certificates: [{ subject: 'CN=x', issuer: 'CN=x', validFrom: 'a', validTo: 'b', fingerprint256: 'AB', isCa: true }] },
    'pin:store': undefined,
    'pin:forget': undefined,
    'library:list': { msisdn: '+12065550100', live: true, voicemails: [], stats: { voicemails: 0, unread: 0, stored: 0, goneFromServer: 0, pendingReadChanges: 0, lastSyncAt: null } },
    'library:setNote': undefined,
    'library:markRead': undefined,
    'library:archiveDelete': { results: [{ id: 'VV-Mail/Inbox/1', ok: true, code: null, reason: '' }], relisted: false },
    'sync:now': { newVoicemails: 0, downloaded: 0, goneFromServer: 0, failed: 0, complete: true },
    'sync:status': { state: 'idle', lastSyncAt: null, lastError: null, nextAt: null, progress: null },
  };
  const impls: Record<string, (req: unknown) => Promise<unknown>> = {};
  for (const [channel, answer] of Object.entries(answers)) {
    impls[channel] = async (req: unknown) => {
      calls.push({ channel: channel as Channel, req });
      return answer;
    };
  }
  return impls as unknown as Implementations;
}

function setup(impls?: Implementations) {
  const calls: { channel: Channel; req: unknown }[] = [];
  const ipc = fakeIpcMain();
  const dispatcher = createDispatcher(impls ?? recordingImpls(calls), { onInternal: () => {} });
  const unregister = registerHandlers(ipc, dispatcher, { origin: ORIGIN });
  const call = (channel: Channel, req: unknown, event = fakeEvent(`${ORIGIN}/index.html`).event) => {
    const h = ipc.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, req);
  };
  return { ipc, calls, call, dispatcher, unregister };
}

describe('the channel list', () => {
  it('names exactly the channels and events of the contract', () => {
    expect([...CHANNELS].sort()).toEqual(Object.keys(contract).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });
  it('derives distinct camelCase method names', () => {
    expect(methodName('voicemail:markRead')).toBe('voicemailMarkRead');
    expect(methodName('op:cancel')).toBe('opCancel');
    expect(new Set(CHANNELS.map(methodName)).size).toBe(CHANNELS.length);
  });
});

describe('registerHandlers', () => {
  it('registers every channel and removes them again', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it.each(CHANNELS.filter((c) => c !== 'op:cancel'))('%s: passes a valid request to its implementation', async (channel) => {
    const { call, calls } = setup();
    const res = await call(channel, VALID[channel]);
    expect(res.ok, JSON.stringify(res)).toBe(true);
    expect(calls).toEqual([{ channel, req: VALID[channel] }]);
    // The canned answers are themselves valid responses of the contract.
    if (res.ok) expect(contract[channel].res.safeParse(res.value).success).toBe(true);
  });

  it.each(CHANNELS)('%s: refuses malformed requests without calling the implementation', async (channel) => {
    const { call, calls } = setup();
    for (const bad of malformed(channel)) {
      const res = await call(channel, bad);
      expect(res.ok, `${channel} accepted ${JSON.stringify(bad)}`).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('ipc.invalidRequest');
    }
    expect(calls).toEqual([]);
  });

  it.each(CHANNELS)('%s: refuses foreign senders', async (channel) => {
    const { call, calls } = setup();
    const foreign = [
      fakeEvent('https://evil.example/index.html').event,
      fakeEvent('app://other/index.html').event,
      fakeEvent('file:///tmp/index.html').event,
      fakeEvent(`${ORIGIN}/index.html`, { subFrame: true }).event,
      fakeEvent(`${ORIGIN}/index.html`, { noFrame: true }).event,
      fakeEvent('not a url').event,
    ];
    for (const event of foreign) {
      const res = await call(channel, VALID[channel], event);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('ipc.invalidRequest');
    }
    expect(calls).toEqual([]);
  });

  it('refuses a call with more than one argument', async () => {
    const { ipc } = setup();
    const h = ipc.handlers.get('card:status');
    const res = await h?.(fakeEvent(`${ORIGIN}/`).event, {}, {});
    expect(res?.ok).toBe(false);
  });

  it('greeting:preview and greeting:upload: refuse empty, oversized and mixed greeting payloads', async () => {
    const { call, calls } = setup();
    const amr = new Uint8Array(6 + 32 * 50); // 1 s of MR122: the size passes; main checks the frames
    const upload = { type: 'normal-greeting', activate: false, opId: OP };
    const bad: [Channel, unknown][] = [
      ['greeting:preview', { audio: new Uint8Array(0), mimeType: 'audio/webm', opId: OP }],
      ['greeting:preview', { audio: new Uint8Array(16 * 1024 * 1024 + 1), mimeType: 'audio/webm', opId: OP }],
      ['greeting:preview', { audio: [1, 2, 3], mimeType: 'audio/webm', opId: OP }],
      ['greeting:preview', { audio: new Uint8Array(3), mimeType: '', opId: OP }],
      ['greeting:preview', { audio: new Uint8Array(3), mimeType: 'audio/webm', trimSilence: 'yes', opId: OP }],
      ['greeting:preview', { audio: new Uint8Array(3), mimeType: 'audio/webm', type: 'normal-greeting', opId: OP }],
      ['greeting:upload', { ...upload, amr: new Uint8Array(6) }],
      ['greeting:upload', { ...upload, amr: new Uint8Array(6 + 32 * 5000 + 1) }],
      ['greeting:upload', { ...upload, amr, audio: new Uint8Array(3), mimeType: 'audio/webm' }],
      ['greeting:upload', { ...upload, amr, trimSilence: true }],
      ['greeting:upload', { ...upload, amr, mimeType: 'audio/amr' }],
    ];
    for (const [channel, req] of bad) {
      const res = await call(channel, req);
      expect(res.ok, `${channel} accepted ${JSON.stringify(Object.keys(req as object))}`).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('ipc.invalidRequest');
    }
    expect(calls).toEqual([]);
    // The two good shapes of an upload, and a preview with explicit encoding options, pass.
    for (const [channel, req] of [
      ['greeting:upload', { ...upload, amr }],
      ['greeting:upload', { ...upload, audio: new Uint8Array(3), mimeType: 'audio/ogg', trimSilence: false, trimToLimit: false }],
      ['greeting:preview', { audio: new Uint8Array(3), mimeType: 'audio/ogg', trimSilence: false, trimToLimit: true, opId: OP }],
    ] as const) {
      expect((await call(channel, req)).ok).toBe(true);
    }
    expect(calls.map((c) => c.channel)).toEqual(['greeting:upload', 'greeting:upload', 'greeting:preview']);
  });

  it('never echoes a refused PIN in the error', async () => {
    const { call } = setup();
    const res = await call('card:unlock', { pin: '12a4567', remember: false, opId: OP });
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res)).not.toContain('12a4567');
  });
});

describe('error mapping', () => {
  const cases: [string, () => Error, string][] = [
    ['CardError', () => new CardError('card.pinBlocked', 'blocked', { hint: 'PUK', detail: { triesLeft: 0 } }), 'card.pinBlocked'],
    ['CardError apdu', () => new CardError('card.apdu', 'sw', { detail: { sw: '6982' } }), 'card.apdu'],
    ['GbaError', () => new GbaError('gba.syncFailure', 'sync'), 'gba.syncFailure'],
    ['HttpError', () => new HttpError('http.unauthorized', '401'), 'http.unauthorized'],
    ['HttpError mstore', () => new HttpError('mstore.pinRejected', 'pin'), 'mstore.pinRejected'],
    ['NetError', () => new NetError('net.timeout', 'slow', { retryable: true }), 'net.timeout'],
    ['AudioError', () => new AudioError('audio.invalid', 'bad amr'), 'audio.invalid'],
    ['FsError', () => new FsError('fs.exists', 'exists'), 'fs.exists'],
    ['AppConfigError', () => new AppConfigError('keychain.unavailable', 'no keyring'), 'keychain.unavailable'],
    ['CancelledError', () => new CancelledError(), 'op.cancelled'],
    ['AbortError', () => Object.assign(new Error('aborted'), { name: 'AbortError' }), 'op.cancelled'],
    ['unknown Error', () => new TypeError('secret 1234 in a bug'), 'internal'],
  ];
  it.each(cases)('%s maps to its code', async (_name, make, code) => {
    const calls: { channel: Channel; req: unknown }[] = [];
    const impls = recordingImpls(calls);
    impls['profile:get'] = async () => {
      throw make();
    };
    const internal = vi.fn();
    const dispatcher = createDispatcher(impls, { onInternal: internal });
    const res = await dispatcher.dispatch('profile:get', { opId: OP }, () => {});
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe(code);
    expect(ERROR_CODES).toContain(res.error.code);
    if (code === 'internal') {
      expect(res.error.message).not.toContain('1234');
      expect(internal).toHaveBeenCalledTimes(1);
    } else {
      expect(internal).not.toHaveBeenCalled();
    }
  });

  it('keeps hint, detail and retryable', async () => {
    const impls = recordingImpls([]);
    impls['card:info'] = async () => {
      throw new CardError('card.pinWrong', 'Wrong PIN', { hint: 'Check the PIN', detail: { triesLeft: 2 } });
    };
    const res = await createDispatcher(impls).dispatch('card:info', { opId: OP }, () => {});
    expect(res).toEqual({ ok: false, error: { code: 'card.pinWrong', message: 'Wrong PIN', retryable: false, hint: 'Check the PIN', detail: { triesLeft: 2 } } });
  });
});

describe('cancellation and progress', () => {
  function blockingImpls(started: () => void): Implementations {
    const impls = recordingImpls([]);
    impls['voicemail:list'] = (_req, ctx: OpContext) =>
      new Promise((resolve, reject) => {
        started();
        ctx.signal.addEventListener('abort', () => {
          try {
            throwIfAborted(ctx.signal);
          } catch (e) {
            reject(e);
          }
        });
        setTimeout(() => resolve([]), 5_000);
      });
    return impls;
  }

  it('op:cancel aborts the matching operation, which resolves as op.cancelled', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { call, dispatcher } = setup(blockingImpls(() => started()));
    const pending = call('voicemail:list', { opId: OP });
    await running;
    expect(dispatcher.inFlight).toBe(1);
    const cancelled = await call('op:cancel', { opId: OP });
    expect(cancelled.ok).toBe(true);
    const res = await pending;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('op.cancelled');
    expect(dispatcher.inFlight).toBe(0);
  });

  it('resolves as op.cancelled even when the service ignores the signal and finishes', async () => {
    const impls = recordingImpls([]);
    let release!: () => void;
    impls['quota:get'] = () => new Promise((resolve) => (release = () => resolve({ voicemail: QUOTA, greeting: QUOTA })));
    const dispatcher = createDispatcher(impls);
    const pending = dispatcher.dispatch('quota:get', { opId: OP }, () => {});
    await dispatcher.dispatch('op:cancel', { opId: OP }, () => {});
    release();
    const res = await pending;
    expect(res.ok ? 'ok' : res.error.code).toBe('op.cancelled');
  });

  it('refuses a second operation with an opId already running', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const dispatcher = createDispatcher(blockingImpls(() => started()));
    const first = dispatcher.dispatch('voicemail:list', { opId: OP }, () => {});
    await running;
    const second = await dispatcher.dispatch('quota:get', { opId: OP }, () => {});
    expect(second.ok ? 'ok' : second.error.code).toBe('ipc.invalidRequest');
    dispatcher.abortAll();
    const res = await first;
    expect(res.ok ? 'ok' : res.error.code).toBe('op.cancelled');
  });

  it('abortAll() also cancels operations that have no opId', async () => {
    const impls = recordingImpls([]);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    impls['pin:forget'] = (_req, ctx) =>
      new Promise((_resolve, reject) => {
        started();
        ctx.signal.addEventListener('abort', () => reject(new CancelledError()));
      });
    const dispatcher = createDispatcher(impls);
    const pending = dispatcher.dispatch('pin:forget', {}, () => {});
    await running;
    dispatcher.abortAll();
    const res = await pending;
    expect(res.ok ? 'ok' : res.error.code).toBe('op.cancelled');
  });

  it('throttles progress per operation, lets phase changes through and sends to the caller only', async () => {
    let t = 0;
    const impls = recordingImpls([]);
    impls['voicemail:audio'] = async (_req, ctx) => {
      for (let i = 0; i < 10; i++) {
        ctx.onProgress({ phase: 'download', transferredBytes: i * 100, totalBytes: 1000 });
        t += 30;
      }
      ctx.onProgress({ phase: 'decode' });
      return { wav: new Uint8Array(0), peaks: [], durationSec: 0, url: null };
    };
    const ipc = fakeIpcMain();
    registerHandlers(ipc, createDispatcher(impls, { now: () => t, progressIntervalMs: 100 }), { origin: ORIGIN });
    const caller = fakeEvent(`${ORIGIN}/index.html`);
    const res = await ipc.handlers.get('voicemail:audio')?.(caller.event, { id: 'x', opId: OP });
    expect(res?.ok).toBe(true);
    const phases = caller.sent.map((s) => (s.payload as { phase: string; transferredBytes?: number }).transferredBytes ?? (s.payload as { phase: string }).phase);
    // t = 0, 30, ... 270: events at 0, 120, 240 pass the 100 ms throttle; then the phase change.
    expect(phases).toEqual([0, 400, 800, 'decode']);
    for (const s of caller.sent) {
      expect(s.name).toBe('op:progress');
      expect(events['op:progress'].safeParse(s.payload).success).toBe(true);
    }
  });
});
