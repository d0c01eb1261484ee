import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { useOperation } from '../../../renderer/hooks/useOperation.js';
import type { Result } from '../../../shared/result.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
beforeEach(() => {
  fake = installFakeApi();
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('useOperation', () => {
  it('goes running -> done and reports progress for its own opId only', async () => {
    const { result } = renderHook(() => useOperation());
    const d = deferred<Result<number>>();
    let opId = '';
    let pending!: Promise<Result<number>>;
    act(() => {
      pending = result.current.run((id) => {
        opId = id;
        return d.promise;
      });
    });
    expect(result.current.state).toBe('running');
    expect(opId).toMatch(/^[0-9a-f-]{36}$/);
    act(() => {
      fake.emitProgress({ opId: '00000000-0000-4000-8000-000000000000', phase: 'other' });
      fake.emitProgress({ opId, phase: 'download', transferredBytes: 5, totalBytes: 10 });
    });
    expect(result.current.progress).toEqual({ opId, phase: 'download', transferredBytes: 5, totalBytes: 10 });
    await act(async () => {
      d.resolve({ ok: true, value: 7 });
      await pending;
    });
    expect(result.current.state).toBe('done');
  });

  it('exposes the AppError of a failed operation, and treats op.cancelled as cancelled', async () => {
    const { result } = renderHook(() => useOperation());
    await act(async () => {
      await result.current.run(async () => ({ ok: false, error: { code: 'net.offline', message: 'Offline', retryable: true } }));
    });
    expect(result.current.state).toBe('failed');
    expect(result.current.error?.code).toBe('net.offline');
    await act(async () => {
      await result.current.run(async () => ({ ok: false, error: { code: 'op.cancelled', message: 'Cancelled', retryable: false } }));
    });
    expect(result.current.state).toBe('cancelled');
    expect(result.current.error).toBeNull();
  });

  it('cancel() and unmount send op:cancel for the running operation', async () => {
    const { result, unmount } = renderHook(() => useOperation());
    let opId = '';
    act(() => {
      void result.current.run((id) => {
        opId = id;
        return new Promise(() => {});
      });
    });
    act(() => result.current.cancel());
    expect(fake.calls).toContainEqual({ method: 'opCancel', req: { opId } });
    fake.calls.length = 0;
    unmount();
    expect(fake.calls).toEqual([{ method: 'opCancel', req: { opId } }]);
  });

  it('sends nothing on unmount when idle', () => {
    const { unmount } = renderHook(() => useOperation());
    unmount();
    expect(fake.calls).toEqual([]);
  });
});
