// Renderer entry: theme and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider, createTheme } from '@mui/material/styles';
import { App } from './components/App.js';

const theme = createTheme({
  palette: { primary: { main: '#e20074' }, secondary: { main: '#ffffff' }, background: { default: '#f6f7f9' } },
  shape: { borderRadius: 8 },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <App />
      </ThemeProvider>
    </StrictMode>,
  );
}
