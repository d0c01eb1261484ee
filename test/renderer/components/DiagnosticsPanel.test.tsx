import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticsPanel, reportText } from '../../../renderer/components/DiagnosticsPanel.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
});
afterEach(cleanup);

const failedReport = {
  ok: false,
  steps: [
    { id: 'service', title: 'Smart-card service', status: 'ok' as const, detail: 'answers' },
    { id: 'pin', title: 'SIM PIN', status: 'failed' as const, detail: 'The card requires the SIM PIN', error: { code: 'card.pinRequired' as const, message: 'The card requires the SIM PIN', retryable: false, action: 'enterSimPin' as const } },
    { id: 'profile', title: 'Signed-in profile read', status: 'skipped' as const, detail: '' },
  ],
  requests: [{ at: '2026-01-01T00:00:00.000Z', method: 'GET', url: 'https://bsf.example/', status: 401, ms: 12 }],
};

describe('DiagnosticsPanel', () => {
  it('shows each step live as main reports it, then the fix for the failing one', async () => {
    let finish: (v: unknown) => void = () => {};
    fake.answer('diagnosticsRun', (req) => {
      const opId = (req as { opId: string }).opId;
      setTimeout(() => fake.emitProgress({ opId, phase: 'service:running', done: 0, total: 3 }), 0);
      return new Promise((r) => (finish = r));
    });
    render(<DiagnosticsPanel />);
    fireEvent.click(screen.getByTestId('diagnostics-run'));
    await waitFor(() => expect(document.querySelector('[data-step="service"]')?.getAttribute('data-status')).toBe('running'));
    act(() => fake.emitProgress({ opId: (fake.calls.find((c) => c.method === 'diagnosticsRun')?.req as { opId: string }).opId, phase: 'service:ok', done: 1, total: 3 }));
    await waitFor(() => expect(document.querySelector('[data-step="service"]')?.getAttribute('data-status')).toBe('ok'));
    finish({ ok: true, value: failedReport });
    await waitFor(() => expect(screen.getByTestId('diagnostics-fix').textContent).toMatch(/SIM PIN.*locked with its PIN.*Enter the SIM PIN/));
    expect(screen.getByTestId('request-log').textContent).toContain('GET https://bsf.example/ → 401');
  });

  it('the copied report holds the steps, the fix and the requests in the window’s words', () => {
    const text = reportText(failedReport, new Date('2026-01-02T00:00:00Z'));
    expect(text).toContain('failed  SIM PIN: The card requires the SIM PIN');
    expect(text).toContain('card.pinRequired — Enter the SIM PIN');
    expect(text).toContain('GET https://bsf.example/ -> 401 (12 ms)');
    expect(text).not.toMatch(/VVM_SIM_PIN|--/);
  });
});
