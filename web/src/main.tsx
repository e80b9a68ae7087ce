import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyLocaleToDocument, I18nProvider, initialLocale } from './i18n/i18n';
import { registerServiceWorker } from './offline/serviceWorker';
import './styles.css';

// Set lang and dir before the first paint, so a right-to-left page never flashes left-to-right.
applyLocaleToDocument(initialLocale());
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
