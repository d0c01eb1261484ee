// Runs one long operation: makes its opId, subscribes to its progress, invokes, and exposes
// {state, progress, error, cancel}. An operation still running when the component unmounts is cancelled.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/errors.js';
import type { OpProgressValue } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/result.js';
import { api, newOpId } from '../api.js';

/** Where an operation is. */
export type OperationState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** What {@link useOperation} returns. */
export interface Operation {
  state: OperationState;
  progress: OpProgressValue | null;
  error: AppError | null;
  /** Starts `invoke` with a fresh opId; resolves to its Result (also when cancelled). */
  run<T>(invoke: (opId: string) => Promise<Result<T>>): Promise<Result<T>>;
  cancel(): void;
}

/** See {@link Operation}. */
export function useOperation(): Operation {
  const [state, setState] = useState<OperationState>('idle');
  const [progress, setProgress] = useState<OpProgressValue | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const current = useRef<string | null>(null);
  const mounted = useRef(true);

  const cancel = useCallback(() => {
    const opId = current.current;
    if (opId !== null) void api().opCancel({ opId });
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      const opId = current.current;
      if (opId !== null) void api().opCancel({ opId });
    };
  }, []);

  const run = useCallback(async <T,>(invoke: (opId: string) => Promise<Result<T>>): Promise<Result<T>> => {
    const opId = newOpId();
    current.current = opId;
    setState('running');
    setProgress(null);
    setError(null);
    const unsubscribe = api().onProgress(opId, (p) => {
      if (mounted.current && current.current === opId) setProgress(p);
    });
    try {
      const res = await invoke(opId);
      if (mounted.current && current.current === opId) {
        if (res.ok) setState('done');
        else {
          setState(res.error.code === 'op.cancelled' ? 'cancelled' : 'failed');
          if (res.error.code !== 'op.cancelled') setError(res.error);
        }
      }
      return res;
    } finally {
      unsubscribe();
      if (current.current === opId) current.current = null;
    }
  }, []);

  return { state, progress, error, run, cancel };
}
