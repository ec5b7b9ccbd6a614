/**
 * The renderer's entry. No eval under the strict CSP: zod's JIT (which probes
 * `new Function`) is switched off before anything is validated.
 */
import { z } from 'zod';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api';
import { ApiProvider } from './app/api-context';
import { App } from './app/App';
import { recordChanges, useLive } from './state/live';
import './styles/app.css';

z.config({ jitless: true });

const { api, connection } = createApi();
useLive.setState({ connection: connection.state });
connection.subscribe((state) => useLive.setState({ connection: state }));
api.onChanges(recordChanges);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={api}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
