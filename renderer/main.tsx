// Renderer entry: theme (following the OS light/dark setting unless the user chose one) and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { App } from './components/App.js';
import { theme } from './theme.js';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ThemeProvider theme={theme} defaultMode="system">
        <CssBaseline enableColorScheme />
        <App />
      </ThemeProvider>
    </StrictMode>,
  );
}
