import { screen } from '@testing-library/react';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routes } from '@/app/router';
import { renderApp } from '@/testing/test-utils';

/** Every route with its full path. */
function flatten(list: RouteObject[], parent = ''): Array<{ path: string; route: RouteObject }> {
  return list.flatMap((route) => {
    const path = route.index ? `${parent}/` : route.path ? `${parent}/${route.path}`.replace(/\/+/g, '/') : parent;
    return [{ path, route }, ...flatten(route.children ?? [], path)];
  });
}

describe('route-level code splitting', () => {
  const all = flatten(routes);
  const lazyPaths = all.filter(({ route }) => route.lazy).map(({ path }) => path);

  it('loads the board, admin pages, search, audit and files routes lazily', () => {
    expect(lazyPaths).toEqual(
      expect.arrayContaining([
        '/board/',
        '/rooms/:roomId/files',
        '/rooms/:roomId/audit',
        '/search',
        '/admin',
        '/admin/policies',
        '/admin/rosters',
        '/admin/plant',
      ]),
    );
  });

  it('keeps login and the room list in the entry chunk', () => {
    for (const path of ['/login', '/rooms/']) {
      const found = all.find((entry) => entry.path === path);
      expect(found?.route.lazy).toBeUndefined();
      expect(found?.route.element).toBeDefined();
    }
  });

  it('renders a lazy route opened directly', async () => {
    renderApp('/search?q=', { authenticated: true });
    expect(await screen.findByRole('search')).toBeInTheDocument();
  });
});
