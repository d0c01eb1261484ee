// Every IPC answer is checked against its response schema before it leaves main (issue 11): fields the
// schema does not describe never reach the renderer, and a wrong shape is an internal error, logged in
// main only, never half-sent.
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Implementations } from '../../../main/ipc/dispatch.js';
import { defaultSettings } from '../../../shared/settings.js';

const OP = '7f1c2c3e-8a4b-4c5d-9e6f-0a1b2c3d4e5f';
const info = { reader: 'demo', app: 'ISIM', impi: 'x@y', impu: [], msisdn: null, gba: 'GBA_ME' };

/** A dispatcher whose card:info and settings:get answer `answer` (the rest is never called here). */
function dispatcherAnswering(answer: unknown, internal: unknown[] = []) {
  const impls = new Proxy({} as Implementations, {
    get: () => async () => answer,
  });
  return createDispatcher(impls, { onInternal: (_c, e) => internal.push(e) });
}

describe('answers are validated against the contract', () => {
  it('passes a valid answer unchanged', async () => {
    expect(await dispatcherAnswering(info).dispatch('card:info', { opId: OP }, () => {})).toEqual({ ok: true, value: info });
    expect(await dispatcherAnswering(defaultSettings()).dispatch('settings:get', {}, () => {})).toEqual({ ok: true, value: defaultSettings() });
  });

  it('never forwards a field the schema does not describe (a key that slipped into an answer)', async () => {
    const r = await dispatcherAnswering({ ...info, ck: '00112233445566778899aabbccddeeff', ks: 'secret' }).dispatch('card:info', { opId: OP }, () => {});
    expect(JSON.stringify(r)).not.toContain('00112233445566778899aabbccddeeff');
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('turns a wrong shape into an internal error logged in main, naming the fields, not the values', async () => {
    const internal: unknown[] = [];
    const r = await dispatcherAnswering({ ...info, impu: 'sip:+12065550100@ims' }, internal).dispatch('card:info', { opId: OP }, () => {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('internal');
      expect(JSON.stringify(r.error)).not.toContain('12065550100');
    }
    expect(String(internal[0])).toContain('card:info');
    expect(String(internal[0])).toContain('impu');
    const none = await dispatcherAnswering(undefined).dispatch('settings:get', {}, () => {});
    expect(none.ok).toBe(false);
  });
});
