// The `?` dialog: every keyboard shortcut of the voicemail tab.
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';

/** Ctrl, or ⌘ on macOS. */
export function modKeyName(): string {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
}

/** The shortcuts as the help lists them. */
export function shortcutList(mod = modKeyName()): [string, string][] {
  return [
    ['Space', 'Play or pause'],
    ['↑ / ↓', 'Previous / next voicemail'],
    ['Home / End', 'First / last voicemail'],
    ['Enter', 'Open (play) the voicemail'],
    ['X', 'Tick or untick the voicemail'],
    ['Shift + click', 'Tick a range'],
    [`${mod} + click`, 'Tick or untick one'],
    [`${mod} + A`, 'Tick every voicemail shown'],
    ['Esc', 'Untick all'],
    ['Delete', 'Delete (asks first)'],
    [`${mod} + F`, 'Search'],
    ['← / → on the waveform', 'Back / forward 5 seconds'],
    ['?', 'This help'],
  ];
}

/** Props of {@link ShortcutsHelp}. */
export interface ShortcutsHelpProps {
  open: boolean;
  onClose(): void;
}

/** A modal table of the shortcuts. */
export function ShortcutsHelp({ open, onClose }: ShortcutsHelpProps) {
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="shortcuts-title" data-testid="shortcuts-help">
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Table size="small">
          <TableBody>
            {shortcutList().map(([keys, what]) => (
              <TableRow key={keys}>
                <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                  {keys}
                </TableCell>
                <TableCell>{what}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button autoFocus onClick={onClose}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
