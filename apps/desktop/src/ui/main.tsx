import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { FeedProvider } from './hooks/useFeed.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FeedProvider>
      <App />
    </FeedProvider>
  </StrictMode>,
);
