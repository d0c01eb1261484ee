// The window's theme: light and dark colour schemes (the OS setting by default, a manual choice in
// Settings; MUI keeps the choice in the renderer's storage), colours picked for a text contrast of at
// least 4.5:1 (WCAG AA) in both (test/renderer/theme.test.ts checks the pairs), and a visible focus ring.
import { createTheme } from '@mui/material/styles';

/** T-Mobile magenta, a shade darker so text in it keeps 4.5:1 on the light background. */
const MAGENTA_LIGHT = '#d1006b';
/** Magenta lightened for dark backgrounds; text on it is black. */
const MAGENTA_DARK = '#ff5cae';

/** The theme with both colour schemes (CSS variables, so switching does not re-render the tree). */
export const theme = createTheme({
  cssVariables: { colorSchemeSelector: 'data-color-scheme' },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: MAGENTA_LIGHT, contrastText: '#ffffff' },
        secondary: { main: '#ffffff', contrastText: '#000000' },
        // MUI's default warning orange carries white text at 3.1:1; this amber carries it at 5:1.
        warning: { main: '#b45309', contrastText: '#ffffff' },
        background: { default: '#f6f7f9', paper: '#ffffff' },
      },
    },
    dark: {
      palette: {
        primary: { main: MAGENTA_DARK, contrastText: '#000000' },
        secondary: { main: '#ffffff', contrastText: '#000000' },
        // MUI's dark error red carries white text at 3.7:1; a lighter red carries black text.
        error: { main: '#ff8a80', contrastText: '#000000' },
        background: { default: '#121212', paper: '#1e1e1e' },
      },
    },
  },
  shape: { borderRadius: 8 },
  components: {
    // Inactive tabs were white at 60 % opacity on magenta (2.3:1): full opacity, the selected one bold
    // and underlined.
    MuiTab: { styleOverrides: { root: { opacity: 1, '&.Mui-selected': { fontWeight: 700 } } } },
    MuiCssBaseline: {
      styleOverrides: {
        // Keyboard focus is always visible, on every control, in both schemes.
        // `body` outranks the components' own `outline: 0` (same specificity otherwise, and they load later).
        'body :focus-visible': { outline: '2px solid currentColor', outlineOffset: 2 },
      },
    },
  },
});
