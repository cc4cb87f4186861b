import { useEffect, useSyncExternalStore } from 'react';

/**
 * Light / dark theme: follows the system (`prefers-color-scheme`) until the user picks one,
 * which is remembered in this browser. The theme is `<html data-theme>` (the CSS variables of
 * src/theme.css) and `color-scheme`. A page may impose a theme while it is shown (the line
 * board is high-contrast dark by default).
 */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'irs.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function isThemePreference(value: unknown): value is ThemePreference {
  return THEME_PREFERENCES.some((preference) => preference === value);
}

/** The preference remembered in this browser, or `system`. */
export function storedThemePreference(): ThemePreference {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isThemePreference(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

let preference: ThemePreference = 'system';
let imposed: Theme | null = null;
const listeners = new Set<() => void>();

export function currentTheme(): Theme {
  if (imposed) return imposed;
  return preference === 'system' ? systemTheme() : preference;
}

function apply(): void {
  const theme = currentTheme();
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  listeners.forEach((listener) => listener());
}

/** Picks a theme (or `system`), remembers it and applies it at once. */
export function setThemePreference(value: ThemePreference): void {
  preference = value;
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, value);
  } catch {
    // applied, not remembered
  }
  apply();
}

/** Reads the remembered preference, applies it and follows the system's changes. */
export function initTheme(): () => void {
  preference = storedThemePreference();
  apply();
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  const onChange = () => apply();
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The preference and the theme shown, re-rendering when either changes. */
export function useTheme(): { preference: ThemePreference; theme: Theme } {
  const pref = useSyncExternalStore(subscribe, () => preference);
  const theme = useSyncExternalStore(subscribe, currentTheme);
  return { preference: pref, theme };
}

/** Imposes `theme` while the calling component is mounted (the line board: dark). */
export function useImposedTheme(theme: Theme): void {
  useEffect(() => {
    imposed = theme;
    apply();
    return () => {
      imposed = null;
      apply();
    };
  }, [theme]);
}
