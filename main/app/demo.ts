// Wiring of demo mode's carrier: the simulated BSF and relay on loopback (main/app/).
import type { Settings } from '../../shared/settings.js';
import { fromHex } from '../../shared/bytes.js';
import { loadDemoState, saveDemoState } from '../adapters/demo/demo-relay-state.js';
import { demoProfile, simSubscriber } from '../sim/card/profile.js';
import { SimulatedUicc } from '../sim/card/simulated-uicc.js';
import { startBsf, type SimBsf } from '../sim/carrier/bsf.js';
import { nafKeyLookup } from '../sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from '../sim/carrier/relay.js';

/** A running demo carrier (simulated BSF + relay sharing one key store). */
export interface DemoCarrier {
  bsf: SimBsf;
  relay: RelayHandle;
  card: SimulatedUicc;
  close(): Promise<void>;
}

/** Starts demo mode's carrier: the simulated BSF and relay on loopback, relay state persisted in `dir`. */
export async function startDemoCarrier(dir: string, settings: Settings, latencyMs = 0): Promise<DemoCarrier> {
  const profile = demoProfile();
  const card = new SimulatedUicc(profile);
  const bsf = await startBsf({ subscribers: [simSubscriber(profile)], latencyMs });
  try {
    const relay = await startRelay({
      scenario: loadDemoState(dir),
      // The demo relay keys for the host it is reached at, like a real NAF; an explicit NAF FQDN override
      // becomes its public name, so demo mode works with or without one.
      nafKey: nafKeyLookup(bsf.keyStore, fromHex(settings.uaProtocolId)),
      ...(settings.nafFqdn !== undefined && { publicName: settings.nafFqdn }),
      latencyMs,
      onChange: (s) => saveDemoState(dir, s),
    });
    return { bsf, relay, card, close: async () => void (await Promise.all([relay.close(), bsf.close()])) };
  } catch (e) {
    await bsf.close();
    throw e;
  }
}
