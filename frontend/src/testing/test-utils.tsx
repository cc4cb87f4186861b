import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import { establishSession } from '@/lib/api-client';
import { issueTokens } from '@/testing/mocks/db';

export const VIRTUOSO_MOCK = { viewportHeight: 2000, itemHeight: 40 };

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: 0, gcTime: Infinity }, mutations: { retry: false } },
  });
}

/** Logs the demo user in without the UI (tokens known to the MSW handlers). */
export function loginAs(username = 'chen.editor') {
  const tokens = issueTokens(username);
  establishSession(tokens);
  return tokens;
}

/** Renders the real route tree at `url` in a memory router. */
export function renderApp(
  url: string,
  { authenticated = false, as }: { authenticated?: boolean; as?: string } = {},
) {
  if (authenticated || as) loginAs(as);
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const queryClient = createTestQueryClient();
  const user = userEvent.setup();
  const result = render(
    // jsdom has no layout: the virtual message list gets a fixed viewport and row height.
    <VirtuosoMockContext.Provider value={VIRTUOSO_MOCK}>
      <AppProvider queryClient={queryClient}>
        <RouterProvider router={router} />
      </AppProvider>
    </VirtuosoMockContext.Provider>,
  );
  return { ...result, router, queryClient, user };
}
