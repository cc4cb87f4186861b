import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import { establishSession } from '@/lib/api-client';
import { issueTokens } from '@/testing/mocks/db';

export const VIRTUOSO_MOCK = { viewportHeight: 2000, itemHeight: 40 };

/** Calls every route's `lazy` once (the modules stay cached; the router's own calls then resolve at once). */
async function preloadLazyRoutes(list: RouteObject[]): Promise<void> {
  await Promise.all(
    list.flatMap((route) => [
      typeof route.lazy === 'function' ? route.lazy() : undefined,
      preloadLazyRoutes(route.children ?? []),
    ]),
  );
}

// The route chunks (router.tsx) are loaded up front, so a test waits for its UI and not for the
// first transform of a lazily imported module (seconds on a busy machine).
await preloadLazyRoutes(routes);

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
