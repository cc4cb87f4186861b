import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/lib/i18n';
import '@/index.css';
import '@/theme.css';
import '@/app-bar.css';
import { initTheme } from '@/lib/theme';
import { App } from '@/app/app';

initTheme();

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
