// Registers every channel of the contract on ipcMain. In order, for each call (style.md section 2):
// 1. the sender must be the main frame of one of our windows, loaded from our own origin;
// 2. the request is validated (dispatch.ts: safeParse -> ipc.invalidRequest);
// 3. the implementation runs with the typed input and an AbortSignal from the opId map;
// 4. the outcome is wrapped as a Result: handlers never throw across IPC.
// Progress goes to event.sender only, throttled by the dispatcher.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../../shared/ipc/channels.js';
import type { Channel, EventName, EventPayload, Res } from '../../shared/ipc/contract.js';
import { err } from '../../shared/result.js';
import { AppConfigError, toAppError } from '../errors.js';
import type { Dispatcher } from './dispatch.js';

/** The parts of ipcMain this module uses (a fake in the contract tests). */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** The fields of the invoke event the sender check reads. */
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> & {
  sender: Pick<IpcMainInvokeEvent['sender'], 'mainFrame' | 'send' | 'isDestroyed'>;
};

/** The origin our renderer is served from (see main/windows.ts), e.g. `app://vvm`. */
export interface SenderPolicy {
  origin: string;
}

/** True when the call comes from the main frame of a page served from our origin. */
export function isTrustedSender(event: InvokeEventLike, policy: SenderPolicy): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  // A sub-frame (an injected iframe, say) gets nothing, even from our origin.
  if (frame !== event.sender.mainFrame) return false;
  return originOf(frame.url) === policy.origin;
}

/**
 * scheme://host of a URL. WHATWG `URL.origin` is "null" for non-special schemes such as our `app:`
 * (Electron registers it as standard, Node's URL does not know that), so build it from the parts.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.host === '') return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** Sends a push event to one window, unless it is gone. */
export function sendEvent<E extends EventName>(target: Pick<InvokeEventLike['sender'], 'send' | 'isDestroyed'>, name: E, payload: EventPayload<E>): void {
  if (!target.isDestroyed()) target.send(name, payload);
}

function foreignSender(): Res<never> {
  return err(toAppError(new AppConfigError('ipc.invalidRequest', 'Request from an untrusted frame refused', { hint: 'Only the app window may call the engine.' })));
}

/** Registers every channel; returns a function that removes them again. */
export function registerHandlers(ipcMain: IpcMainLike, dispatcher: Dispatcher, policy: SenderPolicy): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event: InvokeEventLike, ...args: unknown[]): Promise<Res<Channel>> => handleOne(event, channel, args, dispatcher, policy));
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** One call: sender check, then the dispatcher. Exported for the contract tests. */
export async function handleOne(event: InvokeEventLike, channel: Channel, args: unknown[], dispatcher: Dispatcher, policy: SenderPolicy): Promise<Res<Channel>> {
  if (!isTrustedSender(event, policy)) return foreignSender();
  // One object argument per channel: extra arguments are a malformed call, not something to ignore.
  const raw = args.length === 1 ? args[0] : undefined;
  return dispatcher.dispatch(channel, raw, (p) => sendEvent(event.sender, 'op:progress', p));
}
