import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

function notification(id: string, kind: string, text: string) {
  return {
    type: 'notification',
    notification: {
      notification_id: id,
      kind,
      room_id: '00000000-0000-4000-8000-000000000001',
      room_title: 'Line 3 溫度異常',
      text,
      created_at: new Date().toISOString(),
      read_at: null,
    },
  };
}

const nextFrame = () => act(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));

describe('live regions', () => {
  it('announces notifications politely and escalations assertively', async () => {
    renderApp('/rooms', { authenticated: true });
    const socket = await openAppSocket();
    const polite = screen.getByTestId('live-polite');
    const assertive = screen.getByTestId('live-assertive');
    expect(polite).toHaveAttribute('aria-live', 'polite');
    expect(assertive).toHaveAttribute('aria-live', 'assertive');

    serverSends(socket, notification('50000000-0000-4000-8000-000000000001', 'mention', '@陳 請確認'));
    await nextFrame();
    expect(polite).toHaveTextContent('新通知：提及');
    expect(assertive).toBeEmptyDOMElement();

    serverSends(socket, notification('50000000-0000-4000-8000-000000000002', 'escalation', '無人接手'));
    await nextFrame();
    expect(assertive).toHaveTextContent('升級警示：有事件需要處理，請查看通知');
    expect(polite).toHaveTextContent('新通知：提及');
    // no second copy of the room's title or the text on the page
    expect(polite).not.toHaveTextContent('Line 3');
    expect(assertive).not.toHaveTextContent('無人接手');
  });
});
