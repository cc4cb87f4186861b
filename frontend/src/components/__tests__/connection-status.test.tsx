import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { openAppSocket } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

describe('connection indicator in the header', () => {
  it('shows connecting, then connected, then reconnecting — text and colour, politely announced', async () => {
    renderApp('/rooms', { authenticated: true });
    const indicator = await screen.findByText('連線中…');
    const status = indicator.closest('[role="status"]')!;
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveAttribute('data-state', 'connecting');

    const socket = await openAppSocket();
    expect(await screen.findByText('已連線')).toBeInTheDocument();
    expect(screen.getByText('已連線').closest('[role="status"]')).toHaveClass('connection-connected');

    act(() => socket.serverClose());
    expect(await screen.findByText('重新連線中…')).toBeInTheDocument();
  });

  it('shows offline when the browser goes offline, in English too', async () => {
    await i18n.changeLanguage('en');
    renderApp('/rooms', { authenticated: true });
    await openAppSocket();
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    const offline = await screen.findByText('Offline');
    expect(offline.closest('[role="status"]')).toHaveAttribute('data-state', 'offline');
  });
});
