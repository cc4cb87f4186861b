import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n, { LANGUAGE_STORAGE_KEY, setLanguage, storedLanguage } from '@/lib/i18n';
import { renderApp } from '@/testing/test-utils';

describe('language', () => {
  it('defaults to Traditional Chinese', () => {
    expect(storedLanguage()).toBe('zh-TW');
    expect(i18n.language).toBe('zh-TW');
    expect(document.documentElement.lang).toBe('zh-TW');
  });

  it('bundles zh-TW only and fetches English when it is first chosen', async () => {
    expect(i18n.hasResourceBundle('zh-TW', 'translation')).toBe(true);
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(false);
    await setLanguage('en');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(true);
    expect(i18n.t('header.logout')).toBe('Log out');
  });

  it('remembers the chosen language in localStorage and ignores unknown values', async () => {
    await setLanguage('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(storedLanguage()).toBe('en');
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'klingon');
    expect(storedLanguage()).toBe('zh-TW');
  });

  it('switches the UI from the header, sets <html lang> and persists it', async () => {
    const { user } = renderApp('/rooms', { authenticated: true });
    expect(await screen.findByRole('heading', { level: 1, name: '事件列表' })).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: '語言' }), 'en');

    expect(await screen.findByRole('heading', { level: 1, name: 'Incidents' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log out' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
  });

  it('offers the switch on the login page too', async () => {
    const { user } = renderApp('/login');
    await user.selectOptions(await screen.findByRole('combobox', { name: '語言' }), 'en');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
  });
});
