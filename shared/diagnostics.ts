/**
 * The diagnostics steps in the order they run, with the titles both front ends show: main's checks
 * (main/services/diagnostics) take their titles from here, and the window lists the steps before a run.
 */
export const DIAGNOSTIC_STEPS = [
  { id: 'service', title: 'Smart-card service' },
  { id: 'reader', title: 'Card reader' },
  { id: 'card', title: 'SIM in the reader' },
  { id: 'pin', title: 'SIM PIN' },
  { id: 'isim', title: 'ISIM application' },
  { id: 'identity', title: 'Identity and phone number' },
  { id: 'bsf', title: 'BSF reachable' },
  { id: 'bootstrap', title: 'GBA bootstrap' },
  { id: 'relay', title: 'Voicemail server challenge' },
  { id: 'realm', title: 'NAF identity' },
  { id: 'profile', title: 'Signed-in profile read' },
] as const;

/** One step's id. */
export type DiagnosticStepId = (typeof DIAGNOSTIC_STEPS)[number]['id'];

/** The title of a step. */
export function stepTitle(id: DiagnosticStepId): string {
  return DIAGNOSTIC_STEPS.find((s) => s.id === id)?.title ?? id;
}
