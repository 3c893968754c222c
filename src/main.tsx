/** Entry point: builds the services, then renders the workstation. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { EngineProvider } from './app/engineContext';
import { createServices } from './app/services';
import { StoreProvider } from './state';
import './app/theme.css';
import './app/styles.css';

const services = createServices(window);
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <StoreProvider store={services.store}>
      <EngineProvider engine={services.engine}>
        <App />
      </EngineProvider>
    </StoreProvider>
  </StrictMode>,
);

if (import.meta.hot) {
  import.meta.hot.dispose(() => services.dispose());
}
