// Places in the window an error's action can take the user to (Settings, Diagnostics, the log, the PIN
// dialog). App provides them; ErrorAlert shows a button when there is one.
import { createContext, useContext } from 'react';
import type { WindowDestination } from './messages.js';

/** What App offers to components deeper down. */
export interface WindowActions {
  go(destination: WindowDestination): void;
}

/** The context; null outside App (component tests), where no button is shown. */
export const WindowActionsContext = createContext<WindowActions | null>(null);

/** The window's actions, or null. */
export function useWindowActions(): WindowActions | null {
  return useContext(WindowActionsContext);
}
