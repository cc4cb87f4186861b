import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from '@/lib/i18n';
import '@/index.css';
import '@/theme.css';
import '@/app-bar.css';
import { initTheme } from '@/lib/theme';
import { App } from '@/app/app';

initTheme();

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

// zh-TW is bundled (ready at once); another remembered language is fetched first. A failed
// fetch still renders (in zh-TW, the fallback) rather than a blank page.
const render = () =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
void i18nReady.then(render, render);
