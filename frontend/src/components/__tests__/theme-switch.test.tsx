import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThemeSwitch } from '@/components/theme-switch';
import { renderApp } from '@/testing/test-utils';
import { initTheme, THEME_STORAGE_KEY } from '@/lib/theme';

/** A system colour scheme the test can flip, as window.matchMedia reports it. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return dark;
    },
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  vi.stubGlobal('matchMedia', vi.fn(() => query));
  return {
    set(value: boolean) {
      dark = value;
      listeners.forEach((listener) => listener());
    },
  };
}

const shown = () => document.documentElement.dataset.theme;

describe('theme', () => {
  let stop = () => undefined as void;
  beforeEach(() => {
    delete document.documentElement.dataset.theme;
  });
  afterEach(() => {
    stop();
    vi.unstubAllGlobals();
  });

  it('follows the system until the user picks one', () => {
    const system = fakeSystem(true);
    stop = initTheme();
    expect(shown()).toBe('dark');
    expect(document.documentElement.style.colorScheme).toBe('dark');
    system.set(false);
    expect(shown()).toBe('light');
  });

  it('switches from the select, is remembered and ignores the system afterwards', async () => {
    const system = fakeSystem(false);
    stop = initTheme();
    render(<ThemeSwitch />);
    const select = screen.getByRole('combobox', { name: '佈景主題' });
    expect(select).toHaveValue('system');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['跟隨系統', '淺色', '深色']);

    await userEvent.selectOptions(select, 'dark');
    expect(shown()).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    system.set(true);
    system.set(false);
    expect(shown()).toBe('dark');

    // a new page load reads the remembered choice
    stop();
    stop = initTheme();
    expect(shown()).toBe('dark');
    expect(select).toHaveValue('dark');
  });

  it('ignores a tampered stored value', () => {
    fakeSystem(false);
    window.localStorage.setItem(THEME_STORAGE_KEY, 'neon');
    stop = initTheme();
    expect(shown()).toBe('light');
  });

  it('the app bar offers the switch', async () => {
    fakeSystem(false);
    stop = initTheme();
    renderApp('/rooms', { authenticated: true });
    expect(await screen.findByRole('combobox', { name: '佈景主題' })).toBeInTheDocument();
  });

  it('the login page offers the switch', async () => {
    fakeSystem(false);
    stop = initTheme();
    renderApp('/login');
    expect(await screen.findByRole('combobox', { name: '佈景主題' })).toBeInTheDocument();
  });

  it('the line board is dark by default and gives the chosen theme back when left', async () => {
    fakeSystem(false);
    stop = initTheme();
    const { unmount } = renderApp('/board', { authenticated: true });
    await waitFor(() => expect(shown()).toBe('dark'));
    unmount();
    expect(shown()).toBe('light');
  });
});
