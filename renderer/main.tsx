// The renderer's entry: styles (files, never inline: the page's CSP has no 'unsafe-inline')
// and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './styles/base.css';
import './styles/components.css';
import './styles/screens.css';
import './styles/map-choices.css';
import './styles/propexo-check.css';

const container = document.getElementById('root');
if (container !== null) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
