// The channel names the preload (and the web-harness shim) loop over to build `window.api`. Kept free
// of zod so the sandboxed preload bundle stays tiny; the type checks below fail the build when this list
// and shared/ipc/contract.ts disagree, so nothing is kept in sync by hand.
import type { ApiMethodName, Channel, EventName } from './contract.js';

/** Every invoke channel, in contract order. */
export const CHANNELS = [
  'card:status',
  'card:info',
  'card:readers',
  'card:unlock',
  'voicemail:list',
  'voicemail:audio',
  'voicemail:markRead',
  'voicemail:delete',
  'voicemail:export',
  'export:showFolder',
  'greeting:list',
  'greeting:audio',
  'greeting:preview',
  'greeting:upload',
  'greeting:activate',
  'greeting:delete',
  'profile:get',
  'profile:setActive',
  'profile:changePin',
  'quota:get',
  'settings:get',
  'settings:set',
  'settings:describeCa',
  'pin:store',
  'pin:forget',
  'diagnostics:run',
  'log:reveal',
  'library:list',
  'library:setNote',
  'library:markRead',
  'library:archiveDelete',
  'sync:now',
  'sync:status',
  'op:cancel',
] as const satisfies readonly Channel[];

/** Every push event name. */
export const EVENT_NAMES = ['op:progress', 'card:status', 'library:changed', 'sync:status', 'notify:open'] as const satisfies readonly EventName[];

// Compile-time proof that the lists are complete: a channel missing above makes these `false`.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allChannelsListed: [Missing<Channel, (typeof CHANNELS)[number]>] extends [never] ? true : false = true;
const _allEventsListed: [Missing<EventName, (typeof EVENT_NAMES)[number]>] extends [never] ? true : false = true;
void _allChannelsListed;
void _allEventsListed;

/** The `window.api` method name of a channel: `voicemail:markRead` -> `voicemailMarkRead`. */
export function methodName<C extends Channel>(channel: C): ApiMethodName<C> {
  const i = channel.indexOf(':');
  const name = channel.slice(0, i) + channel.charAt(i + 1).toUpperCase() + channel.slice(i + 2);
  // The template-literal type cannot be computed by string operations; the unit test checks every channel.
  return name as ApiMethodName<C>;
}
