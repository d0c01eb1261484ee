// Scenario files seed the simulated relay: a subscriber's profile, PIN, voicemails and greetings.
// JSON validated with zod; audio comes as base64 or as a file name the caller resolves (the demo
// loader reads assets/demo/, tests pass bytes). Pure: no fs here.
import { z } from 'zod';

const Iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const Id = z.string().regex(/^[0-9a-f]{32}$/);

/** One stored voicemail. `audioFile` (resolved by the caller) or `audioBase64`. */
export const ScenarioVoicemailSchema = z.object({
  id: Id.optional(),
  from: z.string().regex(/^\d{3,15}$/),
  date: Iso,
  expires: Iso.optional(),
  duration: z.number().int().nonnegative().optional(),
  read: z.boolean().default(false),
  keep: z.boolean().default(false),
  filename: z.string().optional(),
  audioFile: z.string().optional(),
  audioBase64: z.string().optional(),
});

/** One stored greeting. */
export const ScenarioGreetingSchema = z.object({
  id: Id.optional(),
  date: Iso,
  duration: z.number().int().nonnegative().optional(),
  active: z.boolean().default(false),
  type: z.enum(['normal-greeting', 'voice-signature']).default('normal-greeting'),
  subject: z.string().default('custom greeting'),
  audioFile: z.string().optional(),
  audioBase64: z.string().optional(),
});

/** `scheme://host:port` with nothing after it, as the relay's extended URLs start. */
const Origin = z.string().regex(/^https?:\/\/(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/);

/** A scenario file. */
export const ScenarioSchema = z.object({
  msisdn: z.string().regex(/^\+\d{6,15}$/),
  /** Current voicemail PIN (digits). */
  pin: z.string().regex(/^\d{4,9}$/).default('4826'),
  /** PINs used before (a new PIN equal to one of them is `PIN in Use`). */
  pinHistory: z.array(z.string()).default([]),
  /** When the PIN was last changed (epoch ms): another change within a day is `PIN recently Changed`. */
  pinChangedAt: z.number().int().nullable().default(null),
  /** Profile attributes in the order the server lists them. */
  profile: z.array(z.object({ name: z.string(), value: z.array(z.string()) })).optional(),
  /** Largest page the relay returns whatever maxEntries says (exercises the cursor). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /**
   * The hosts the relay's extended URLs name (`<publicOrigin><base>?path=<backendOrigin>/oemclient/...`).
   * The real relay does not rewrite them, so they need not be the host the client reached: default the
   * origin of the request's Host header and the production backend `http://wsg.mstore.msg.eng.t-mobile.com:8082`.
   */
  urls: z.object({ publicOrigin: Origin.optional(), backendOrigin: Origin.optional() }).optional(),
  voicemails: z.array(ScenarioVoicemailSchema).default([]),
  greetings: z.array(ScenarioGreetingSchema).default([]),
});
/** See {@link ScenarioSchema}. */
export type Scenario = z.infer<typeof ScenarioSchema>;
/** Input form (defaults not yet applied). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** The profile a fresh account shows (values as in mstore-protocol.md, mixed-case booleans included). */
export function defaultProfile(): { name: string; value: string[] }[] {
  return [
    { name: 'cosname', value: ['1234'] },
    { name: 'isblocked', value: ['false'] },
    { name: 'Language', value: ['eng'] },
    { name: 'MigrationDate', value: ['2019:01:01:00:00'] },
    { name: 'MigrationStatus', value: ['True'] },
    { name: 'nut', value: ['false'] },
    { name: 'SMSDirectLink', value: ['false'] },
    { name: 'V2E_ON', value: ['False'] },
    { name: 'V2t_Language', value: ['None'] },
    { name: 'vvmon', value: ['true'] },
  ];
}
