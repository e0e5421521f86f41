// Placeholder until the real UI lands: proves the renderer build and the CSP (no inline code).
import { createRoot } from 'react-dom/client';

const container = document.getElementById('root');
if (container !== null) createRoot(container).render(<h1>Lead Importer</h1>);
