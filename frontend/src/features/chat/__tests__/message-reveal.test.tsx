import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createRevealStore,
  LONG_PRESS_MS,
  MessageRevealContext,
  useMessageReveal,
  useRevealStore,
} from '@/features/chat/hooks/use-message-reveal';
import { addMember, addMessages, db, makeMessage, makeRoom, users } from '@/testing/mocks/db';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

/** Two messages with the hook, in one chat (one store), and a button outside them. */
function Row({ id }: { id: string }) {
  const { revealed, handlers } = useMessageReveal(id);
  return (
    <article data-testid={id} data-message-id={id} data-shown={revealed ? 'true' : 'false'} {...handlers}>
      <p>text of {id}</p>
      <button type="button">react to {id}</button>
    </article>
  );
}

function Chat() {
  const store = useRevealStore();
  return (
    <MessageRevealContext.Provider value={store}>
      <Row id="m1" />
      <Row id="m2" />
      <button type="button">elsewhere</button>
    </MessageRevealContext.Provider>
  );
}

const shown = (id: string) => screen.getByTestId(id).getAttribute('data-shown') === 'true';

/** A finger tap: pointerdown / pointerup (touch) then the click the browser derives from it. */
function tap(element: Element) {
  fireEvent.pointerDown(element, { pointerType: 'touch', clientX: 10, clientY: 10 });
  fireEvent.pointerUp(element, { pointerType: 'touch', clientX: 10, clientY: 10 });
  fireEvent.click(element);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('tap-to-reveal of message actions (touch)', () => {
  it('a tap on a message shows its actions, one message at a time; a second tap hides them', () => {
    render(<Chat />);
    expect(shown('m1')).toBe(false);
    tap(screen.getByText('text of m1'));
    expect(shown('m1')).toBe(true);
    tap(screen.getByText('text of m2'));
    expect(shown('m1')).toBe(false);
    expect(shown('m2')).toBe(true);
    tap(screen.getByText('text of m2'));
    expect(shown('m2')).toBe(false);
  });

  it('a tap elsewhere and Escape hide the shown actions', () => {
    render(<Chat />);
    tap(screen.getByText('text of m1'));
    tap(screen.getByRole('button', { name: 'elsewhere' }));
    expect(shown('m1')).toBe(false);
    tap(screen.getByText('text of m1'));
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(shown('m1')).toBe(false);
  });

  it('taps on the message’s own buttons do their own thing', () => {
    render(<Chat />);
    tap(screen.getByRole('button', { name: 'react to m1' }));
    expect(shown('m1')).toBe(false);
    // and a tap on a button of the shown message keeps it shown
    tap(screen.getByText('text of m1'));
    tap(screen.getByRole('button', { name: 'react to m1' }));
    expect(shown('m1')).toBe(true);
  });

  it('mouse clicks change nothing (hover and focus show the actions on a desktop)', () => {
    render(<Chat />);
    const text = screen.getByText('text of m1');
    fireEvent.pointerDown(text, { pointerType: 'mouse' });
    fireEvent.pointerUp(text, { pointerType: 'mouse' });
    fireEvent.click(text);
    expect(shown('m1')).toBe(false);
  });

  it('a long press (500 ms) shows the actions; its release is not a second tap; moving cancels it', () => {
    vi.useFakeTimers();
    render(<Chat />);
    const text = screen.getByText('text of m1');
    fireEvent.pointerDown(text, { pointerType: 'touch', clientX: 10, clientY: 10 });
    act(() => vi.advanceTimersByTime(LONG_PRESS_MS - 50));
    expect(shown('m1')).toBe(false);
    act(() => vi.advanceTimersByTime(60));
    expect(shown('m1')).toBe(true);
    // the browser's long-press menu is replaced by the action bar
    expect(fireEvent.contextMenu(text)).toBe(false);
    fireEvent.pointerUp(text, { pointerType: 'touch', clientX: 10, clientY: 10 });
    fireEvent.click(text);
    expect(shown('m1')).toBe(true);

    // a finger that moves is scrolling the list: no long press
    const other = screen.getByText('text of m2');
    fireEvent.pointerDown(other, { pointerType: 'touch', clientX: 10, clientY: 10 });
    fireEvent.pointerMove(other, { pointerType: 'touch', clientX: 10, clientY: 40 });
    act(() => vi.advanceTimersByTime(LONG_PRESS_MS * 2));
    expect(shown('m2')).toBe(false);
    expect(shown('m1')).toBe(true);
  });

  it('the store notifies only on a change', () => {
    const store = createRevealStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set('m1');
    store.set('m1');
    store.set(null);
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    store.set('m2');
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.get()).toBe('m2');
  });
});

describe('tap-to-reveal in the chat', () => {
  beforeAll(() => {
    if (!Element.prototype.scrollBy) Element.prototype.scrollBy = () => undefined;
  });

  it('a tap on a message shows its action bar; the buttons stay reachable with the keyboard', async () => {
    const room = makeRoom({ title: '回焊爐溫度異常' });
    db.rooms.push(room);
    addMember(room, 'wang.owner', 'OWNER', true);
    addMember(room, 'chen.editor', 'EDITOR', true);
    addMessages(room.room_id, makeMessage(room.room_id, { content: '溫度 85 度' }));
    addMessages(room.room_id, makeMessage(room.room_id, { content: '已停機' }));
    const { user } = renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const socket = await openAppSocket();
    await waitFor(() => expect(socket.sentFrames.some((f) => f.type === 'subscribe')).toBe(true));
    serverSends(socket, {
      type: 'subscribed',
      room_id: room.room_id,
      online: [users['chen.editor']!.user_id],
      last_seq: 0,
      server_time: '2025-11-17T10:00:00.000Z',
    });
    await waitFor(() => expect(screen.getByTestId('virtuoso-item-list').style.visibility).not.toBe('hidden'));
    const first = (await screen.findByText('溫度 85 度')).closest('article')!;
    const second = screen.getByText('已停機').closest('article')!;
    expect(first).not.toHaveAttribute('data-actions-shown');

    tap(within(first).getByText('溫度 85 度'));
    expect(first).toHaveAttribute('data-actions-shown', 'true');
    expect(first).toHaveClass('message-revealed');
    tap(within(second).getByText('已停機'));
    expect(first).not.toHaveAttribute('data-actions-shown');
    expect(second).toHaveAttribute('data-actions-shown', 'true');

    // keyboard users: the action buttons of every message are still in the tab order
    await user.keyboard('{Escape}');
    expect(second).not.toHaveAttribute('data-actions-shown');
    within(first).getByRole('button', { name: '新增回應' }).focus();
    expect(within(first).getByRole('button', { name: '新增回應' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('group', { name: '選擇回應' })).toBeInTheDocument();
  });
});
