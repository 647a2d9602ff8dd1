import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptPageKey } from './api/local-client.ts';
import { App } from './components/App.tsx';
import { FeedProvider } from './hooks/useFeed.tsx';
import './styles.css';

adoptPageKey();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FeedProvider>
      <App />
    </FeedProvider>
  </StrictMode>,
);
