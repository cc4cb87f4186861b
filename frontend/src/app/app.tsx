import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { useServiceWorker } from '@/features/notifications/hooks/use-service-worker';
import { AppProvider } from '@/app/provider';
import { createAppRouter } from '@/app/router';

export function App() {
  const [router] = useState(createAppRouter);
  // public/sw.js: Web Push; a clicked notification opens its room in this tab
  useServiceWorker((path) => void router.navigate(path));
  return (
    <AppProvider>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
