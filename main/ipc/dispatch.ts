// The transport-independent half of IPC: validates a request against the contract, runs the
// implementation with an AbortSignal from the opId map, throttles progress, and wraps the outcome as a
// Result. Electron's ipcMain (main/ipc/handle.ts) and the loopback web harness (main/web-harness/) both
// call this, so the renderer is tested against exactly the code path Electron uses.
import { contract, type Channel, type OpProgressValue, type Req, type Res, type ResValue } from '../../shared/ipc/contract.js';
import { err, ok } from '../../shared/result.js';
import type { Progress } from '../services/ports.js';
import { AppConfigError, CancelledError, toAppError } from '../errors.js';

/** What an implementation gets besides its typed request. */
export interface OpContext {
  /** Aborted by `op:cancel` with the request's opId, or when the caller goes away. */
  signal: AbortSignal;
  /** Reports progress; throttled and delivered to the calling window only. */
  onProgress(p: Progress): void;
}

/** The implementation of one channel. Throws the classes in main/errors.ts; never sees invalid input. */
export type Implementation<C extends Channel> = (req: Req<C>, ctx: OpContext) => Promise<ResValue<C>>;

/** One implementation per channel except `op:cancel`, which the dispatcher answers itself. */
export type Implementations = { [C in Exclude<Channel, 'op:cancel'>]: Implementation<C> };

/** Where the progress of one call goes (the sender's webContents, or the harness's event stream). */
export type ProgressSink = (p: OpProgressValue) => void;

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  /** Logs the stack of unexpected errors (main only; never reaches the renderer). */
  onInternal?: (channel: Channel, e: unknown) => void;
  /** Monotonic milliseconds, for throttling. */
  now?: () => number;
  /** Minimum interval between two progress events of one operation (phase changes always pass). */
  progressIntervalMs?: number;
}

/** Dispatches validated requests; see {@link createDispatcher}. */
export interface Dispatcher {
  dispatch<C extends Channel>(channel: C, raw: unknown, sink: ProgressSink): Promise<Res<C>>;
  /** Aborts every running operation (window closed, app quitting). */
  abortAll(): void;
  /** Number of operations in flight (for tests and diagnostics). */
  readonly inFlight: number;
}

/** True when `c` names a channel of the contract. */
export function isKnownChannel(c: string): c is Channel {
  return Object.hasOwn(contract, c);
}

function invalid(message: string, fields?: string[]): Res<never> {
  return err(toAppError(new AppConfigError('ipc.invalidRequest', message, { hint: 'This is a bug in the app: please report it.', ...(fields && { detail: { fields } }) })));
}

/** Builds the dispatcher over the implementations. Never throws: every outcome is a Result. */
export function createDispatcher(impls: Implementations, opts: DispatcherOptions = {}): Dispatcher {
  const running = new Map<string, AbortController>();
  // Every controller, with or without an opId, so abortAll() reaches operations nobody can name.
  const all = new Set<AbortController>();
  const now = opts.now ?? (() => performance.now());
  const interval = opts.progressIntervalMs ?? 100;

  async function dispatch<C extends Channel>(channel: C, raw: unknown, sink: ProgressSink): Promise<Res<C>> {
    if (!isKnownChannel(channel)) return invalid('Unknown channel');
    const parsed = contract[channel].req.safeParse(raw);
    // Only the paths of the failing fields go back, never the values (the request may hold a PIN).
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
      return invalid(`Invalid request for ${channel}: ${fields.join(', ')}`, fields);
    }
    const req: unknown = parsed.data;

    if (channel === 'op:cancel') {
      const { opId } = contract['op:cancel'].req.parse(req);
      running.get(opId)?.abort();
      return ok(undefined) as Res<C>;
    }

    const opId = typeof req === 'object' && req !== null && 'opId' in req && typeof req.opId === 'string' ? req.opId : null;
    if (opId !== null && running.has(opId)) return invalid('Operation id already in use');
    const controller = new AbortController();
    if (opId !== null) running.set(opId, controller);
    all.add(controller);

    let last = -Infinity;
    let lastPhase = '';
    const progress = (p: Progress): void => {
      if (opId === null || controller.signal.aborted) return;
      const t = now();
      if (p.phase === lastPhase && t - last < interval) return;
      last = t;
      lastPhase = p.phase;
      const event: OpProgressValue = { opId, phase: p.phase.slice(0, 64) };
      if (p.transferredBytes !== undefined) event.transferredBytes = Math.max(0, Math.floor(p.transferredBytes));
      if (p.totalBytes !== undefined) event.totalBytes = Math.max(0, Math.floor(p.totalBytes));
      if (p.done !== undefined) event.done = Math.max(0, Math.floor(p.done));
      if (p.total !== undefined) event.total = Math.max(0, Math.floor(p.total));
      try {
        sink(event);
      } catch {
        // The window went away; the operation itself carries on until cancelled.
      }
    };

    try {
      // `req` was produced by this channel's own schema just above; TypeScript cannot correlate the
      // channel with its implementation across the mapped type, hence the one widening here.
      const impl = impls[channel as Exclude<Channel, 'op:cancel'>] as unknown as (r: unknown, ctx: OpContext) => Promise<ResValue<C>>;
      const value = await impl(req, { signal: controller.signal, onProgress: progress });
      // A cancelled operation resolves as op.cancelled even when the service finished anyway.
      if (controller.signal.aborted) return err(toAppError(new CancelledError()));
      // Every answer is checked against its response schema and only what the schema describes goes out
      // (unknown fields are dropped), so "no secret reaches the renderer" is enforced here, not hoped for.
      const checked = contract[channel].res.safeParse(value);
      if (!checked.success) {
        const fields = [...new Set(checked.error.issues.map((i) => i.path.join('.') || '(root)'))];
        return err(toAppError(new Error(`The answer of ${channel} does not match the contract (${fields.join(', ')})`), (x) => opts.onInternal?.(channel, x)));
      }
      return ok(checked.data as ResValue<C>) as Res<C>;
    } catch (e) {
      if (controller.signal.aborted) return err(toAppError(new CancelledError()));
      return err(toAppError(e, (x) => opts.onInternal?.(channel, x)));
    } finally {
      if (opId !== null) running.delete(opId);
      all.delete(controller);
    }
  }

  return {
    dispatch,
    abortAll() {
      for (const c of all) c.abort();
    },
    get inFlight() {
      return running.size;
    },
  };
}
