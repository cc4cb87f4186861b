import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/testing/test-utils';

describe('app bar menu (phone)', () => {
  it('opens and closes with its button, Escape closes it and gives the focus back', async () => {
    const { user } = renderApp('/rooms', { authenticated: true });
    const toggle = await screen.findByRole('button', { name: '帳號與設定選單' });
    const menu = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveAttribute('data-open', 'false');
    // the account items live in the menu
    expect(menu).toContainElement(screen.getByRole('button', { name: '登出' }));
    expect(menu).toContainElement(screen.getByRole('combobox', { name: '語言' }));
    expect(menu).toContainElement(screen.getByRole('combobox', { name: '佈景主題' }));
    // so do search and the board: on a phone the bar keeps to the name, state, bell and ☰
    expect(menu).toContainElement(screen.getByRole('link', { name: '搜尋' }));
    expect(menu).toContainElement(screen.getByRole('link', { name: '看板' }));
    expect(menu).not.toContainElement(screen.getByRole('link', { name: /^通知/ }));

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(menu).toHaveAttribute('data-open', 'true');
    await user.tab();
    expect(menu).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();

    await user.click(toggle);
    await user.keyboard('{Escape}'); // from the button itself too
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  it('a navigation closes it', async () => {
    const { user, router } = renderApp('/rooms', { authenticated: true });
    const toggle = await screen.findByRole('button', { name: '帳號與設定選單' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await router.navigate('/notifications');
    expect(await screen.findByRole('heading', { level: 1, name: '通知' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '帳號與設定選單' })).toHaveAttribute('aria-expanded', 'false');
  });

  it('a press outside closes it; a press inside does not', async () => {
    const { user } = renderApp('/rooms', { authenticated: true });
    const toggle = await screen.findByRole('button', { name: '帳號與設定選單' });
    await user.click(toggle);
    fireEvent.pointerDown(screen.getByRole('combobox', { name: '語言' }));
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    fireEvent.pointerDown(screen.getByRole('heading', { level: 1, name: '事件列表' }));
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });
});
