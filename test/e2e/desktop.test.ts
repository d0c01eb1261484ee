// The built renderer in Debian's Chromium, driven by playwright-core, talking to the real main-process
// channel implementations through the loopback web harness (the stand-in for Electron, which cannot be
// downloaded here). The microphone is Chromium's fake capture device fed from a WAV made with espeak-ng.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DesktopEngine } from '../../main/ipc/implementations.js';
import type { WebHarness } from '../../main/web-harness/server.js';
import { demoBackend, fakeMicrophone, listedCount, need, openMailbox, openWindow, SCREENSHOTS, type E2eWindow } from './support.js';

describe('renderer e2e (Chromium + web harness)', () => {
  let win: E2eWindow | undefined;
  let work: string;
  let harness: WebHarness;
  let page: Page;
  const uploads: { amr: Uint8Array | null; bytes: number; mimeType: string | null; activate: boolean }[] = [];
  const previews: { bytes: number; mimeType: string; amr: Uint8Array }[] = [];
  let engine: DesktopEngine;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    need('espeak-ng', 'apt-get install -y espeak-ng');
    need('sox', 'apt-get install -y sox');
    win = await openWindow('vvm-e2e-', async (dir) => {
      const chromiumArgs = fakeMicrophone(dir, "Hi, you've reached the desk. Leave a message after the tone.", '0.2');
      // The real desktop engine in demo mode, with the greeting previews and uploads recorded.
      const backend = await demoBackend(dir);
      const base = backend.engine;
      engine = {
        ...base,
        previewGreeting: async (input, opts) => {
          const p = await base.previewGreeting(input, opts);
          previews.push({ bytes: input.audio.length, mimeType: input.mimeType, amr: p.amr });
          return p;
        },
        uploadGreeting: async (input, opts) => {
          uploads.push('amr' in input ? { amr: input.amr, bytes: input.amr.length, mimeType: null, activate: input.activate } : { amr: null, bytes: input.audio.length, mimeType: input.mimeType, activate: input.activate });
          return base.uploadGreeting(input, opts);
        },
      };
      return {
        engine,
        pins: backend.pins,
        chromiumArgs,
        close: () => backend.close(),
      };
    });
    ({ work, harness, page, pageErrors } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
  });

  it('lists voicemails, plays one with its waveform and marks it read', async () => {
    // What main holds, to compare the page against (the demo mailbox's content is the simulator's business).
    const expected = await openMailbox(page, harness, engine);
    const unread = expected.filter((v) => !v.read);
    expect(unread.length, 'the demo mailbox needs an unread voicemail').toBeGreaterThan(0);
    expect(await page.getByTestId('voicemail-count').textContent()).toContain(`${unread.length} new`);

    const first = page.locator(`[data-testid="voicemail-row"][data-id="${unread[0]?.id}"]`);
    // Collected from before the player exists: the <audio> element starts loading as soon as it is made.
    const media: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/media/audio/')) media.push(r.status());
    });
    expect(await first.getAttribute('data-read')).toBe('false');
    await first.click();
    const play = page.getByTestId('play-button');
    await expect.poll(() => play.isEnabled(), { timeout: 10_000 }).toBe(true);

    // wavesurfer draws into canvases inside its shadow root: some pixels must be painted.
    // (A string, because the Node project has no DOM types; this runs in the page.)
    const painted = await page.evaluate<number>(`(() => {
      const host = document.querySelector('[data-testid="waveform"] > div');
      const canvases = [...(host?.shadowRoot?.querySelectorAll('canvas') ?? [])];
      let n = 0;
      for (const c of canvases) {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) continue;
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      }
      return n;
    })()`);
    expect(painted).toBeGreaterThan(500);

    await play.click();
    await expect.poll(() => first.getAttribute('data-read'), { timeout: 10_000 }).toBe('true');
    // The <audio> element streams the WAV from main with HTTP Range (206), as app:// does in Electron.
    await expect.poll(() => media.includes(206), { timeout: 10_000 }).toBe(true);
    // Main's state changed too, not just the row.
    const listed = await engine.listVoicemails({});
    expect(listed.find((v) => v.id === unread[0]?.id)?.read).toBe(true);
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(SCREENSHOTS, 'voicemail.png'), animations: 'disabled' });
  });

  it('exports the selected voicemail as WAV through main', async () => {
    mkdirSync(join(work, 'export'), { recursive: true });
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByText('Exported 1 voicemail.').waitFor({ timeout: 15_000 });
    const files = readdirSync(join(work, 'export')).filter((f) => f.endsWith('.wav'));
    expect(files).toHaveLength(1);
    const wav = readFileSync(join(work, 'export', files[0] ?? ''));
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.length).toBeGreaterThan(1000);
  });

  it('deletes the selected voicemail after asking', async () => {
    const before = await engine.listVoicemails({});
    await page.getByTestId('item-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('Deleted 1 voicemail.').waitFor();
    await expect.poll(() => listedCount(page)).toBe(before.length - 1);
    const after = await engine.listVoicemails({});
    expect(after).toHaveLength(before.length - 1);
  });

  it('marks two voicemails read and deletes them in bulk', async () => {
    const before = await engine.listVoicemails({});
    const checks = page.getByTestId('voicemail-check');
    const ticked = [await page.getByTestId('voicemail-row').nth(0).getAttribute('data-id'), await page.getByTestId('voicemail-row').nth(1).getAttribute('data-id')];
    await checks.nth(0).click();
    await checks.nth(1).click();
    expect(await page.getByTestId('bulk-bar').textContent()).toContain('2 selected');
    await page.getByTestId('bulk-more').click();
    await page.getByRole('menuitem', { name: 'Mark as read' }).click();
    await expect.poll(async () => (await engine.listVoicemails({})).filter((v) => ticked.includes(v.id)).every((v) => v.read)).toBe(true);
    await page.getByTestId('bulk-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('Deleted 2 voicemails.').waitFor();
    await expect.poll(() => listedCount(page)).toBe(before.length - 2);
    expect((await engine.listVoicemails({})).map((v) => v.id)).toEqual(before.filter((v) => !ticked.includes(v.id)).map((v) => v.id));
  });

  it('records a greeting from the fake microphone and uploads it', async () => {
    await page.getByRole('tab', { name: 'Greetings' }).click();
    const before = (await engine.listGreetings({})).length;
    await expect.poll(() => page.getByTestId('greeting-row').count()).toBe(before);
    await page.getByTestId('record-start').click();
    await page.getByTestId('record-stop').waitFor();
    await page.waitForTimeout(2_500);
    await page.getByTestId('record-stop').click();
    // Preview: main encodes the recording and the player shows the ENCODED greeting's waveform.
    await page.getByTestId('record-preview').click();
    await expect.poll(() => page.getByTestId('record-preview-info').textContent(), { timeout: 15_000 }).toContain('As callers will hear it');
    await expect.poll(() => page.getByTestId('record-preview-player').getByTestId('play-button').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('record-upload').click();
    await page.getByTestId('upload-done').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('greeting-row').count()).toBe(before + 1);
    // Exactly one greeting is active now, and it is the one just uploaded (the newest).
    const greetings = await engine.listGreetings({});
    const active = greetings.filter((g) => g.active);
    expect(active).toHaveLength(1);
    expect(active[0]?.date).toBe([...greetings].sort((a, b) => b.date.localeCompare(a.date))[0]?.date);
    // The espeak-ng speech reached the encoder: silence would have been trimmed away to (almost) nothing.
    expect(active[0]?.duration).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="greeting-row"][data-active="true"]').count()).toBe(1);

    // Listen to it: main downloads and decodes the AMR it just encoded.
    await page.locator('[data-testid="greeting-row"][data-active="true"] [data-testid="greeting-listen"]').click();
    await expect.poll(() => page.getByTestId('play-button').isEnabled(), { timeout: 10_000 }).toBe(true);

    expect(previews).toHaveLength(1);
    expect(previews[0]?.mimeType).toMatch(/^audio\/(webm|ogg)/);
    // 2.5 s of Opus is several kilobytes; an empty or silent-track recording would be far smaller.
    expect(previews[0]?.bytes).toBeGreaterThan(4_000);
    // What was uploaded is byte for byte the AMR the preview played.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.mimeType).toBeNull();
    expect(Buffer.from(uploads[0]?.amr ?? []).equals(Buffer.from(previews[0]?.amr ?? [0]))).toBe(true);
    expect(uploads[0]?.activate).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'greetings.png'), animations: 'disabled' });
  });

  it('shows quotas and the SIM on the account tab', async () => {
    await page.getByRole('tab', { name: 'Account' }).click();
    const vm = (await engine.getQuota({})).voicemail;
    await expect.poll(() => page.getByTestId('quota').textContent()).toContain(`Voicemails: ${vm.VMOccupiedMessages} of ${vm.VMMessagesQuota}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'account.png'), animations: 'disabled' });
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
