// The simulated subscriber: what is on the simulated ISIM/USIM and what the simulated carrier (BSF/HSS)
// must know to authenticate it. Validated with zod wherever a profile enters from outside (files, tests).
import { z } from 'zod';
import { fromHex } from '../../../shared/bytes.js';
import { usimFallbackImpi } from '../../protocol/uicc/identity.js';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${bytes} bytes as hex`);

/** A simulated card's configuration. Hex strings keep it JSON-friendly (e.g. a demo profile file). */
export const SimProfileSchema = z.object({
  /** Subscriber key and operator variant key (MILENAGE, TS 35.206). */
  k: hex(16),
  opc: hex(16),
  /** Highest SQN the card has accepted (SQN_MS, TS 33.102 Annex C); the network must send a larger one. */
  sqn: hex(6),
  /** Largest accepted step above SQN_MS (TS 33.102 C.2.2, the Delta limit). */
  sqnWindow: z.number().int().positive().default(2 ** 28),
  iccid: z.string().regex(/^\d{18,20}$/),
  imsi: z.string().regex(/^\d{6,15}$/),
  mncLength: z.union([z.literal(2), z.literal(3)]).default(3),
  /** False = a USIM-only card (the app falls back to the TS 23.003 13.3 IMPI). */
  isim: z.boolean().default(true),
  impi: z.string().min(1),
  impu: z.array(z.string().min(1)).max(8),
  domain: z.string().min(1),
  /** PIN1; null = PIN disabled. */
  pin: z.string().regex(/^\d{4,8}$/).nullable(),
  /** Remaining PIN1 tries at power-on (0 = blocked). */
  pinTries: z.number().int().min(0).max(3).default(3),
  /** The ISIM supports GBA_U (EF_IST service 2 and the GBA security context). */
  gbaU: z.boolean().default(false),
});

/** Input form of a profile (defaults optional). */
export type SimProfileInput = z.input<typeof SimProfileSchema>;
/** A validated profile. */
export type SimProfile = z.infer<typeof SimProfileSchema>;

/**
 * The demo subscriber (MILENAGE test set 1 keys, TS 35.208): a T-Mobile-shaped ISIM with PIN disabled.
 * Demo mode and the tests start from this.
 */
export function demoProfile(overrides: Partial<SimProfileInput> = {}): SimProfile {
  return SimProfileSchema.parse({
    k: '465b5ce8b199b49faa5f0a2ee238a6bc',
    opc: 'cd63cb71954a9f4e48a5994e37a02baf',
    sqn: '000000000020',
    iccid: '8901260123456789012',
    imsi: '310260123456789',
    mncLength: 3,
    impi: '310260123456789@msg.pc.t-mobile.com',
    impu: ['sip:+12065550100@msg.pc.t-mobile.com', 'tel:+12065550100', 'sip:310260123456789@msg.pc.t-mobile.com'],
    domain: 'msg.pc.t-mobile.com',
    pin: null,
    ...overrides,
  });
}

/**
 * What the simulated BSF/HSS needs to authenticate this card (the HSS side of the shared secret).
 * The GBA engineer's simulated BSF imports this shape.
 */
export interface SimSubscriber {
  impi: string;
  imsi: string;
  k: Uint8Array;
  opc: Uint8Array;
  /** The network's starting SQN_HE (here: the card's SQN_MS, so the first challenge uses a fresh SQN + 1). */
  sqn: Uint8Array;
  /** The card runs GBA_U: the BSF must send AUTN with MAC* (TS 33.220 5.3.2). */
  gbaU: boolean;
}

/** Exports the subscriber record of a profile for the simulated carrier. */
export function simSubscriber(p: SimProfile): SimSubscriber {
  const impi = p.isim ? p.impi : usimFallbackImpi(p.imsi, p.mncLength);
  return { impi, imsi: p.imsi, k: fromHex(p.k), opc: fromHex(p.opc), sqn: fromHex(p.sqn), gbaU: p.gbaU && p.isim };
}
