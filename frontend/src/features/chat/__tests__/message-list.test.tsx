import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { describe, expect, it, vi } from 'vitest';
import i18n from '@/lib/i18n';
import { IncidentDataCard } from '@/features/chat/components/incident-data-card';
import { MessageList } from '@/features/chat/components/message-list';
import { chatReducer, initialChatState, selectTimeline, type TimelineItem } from '@/features/chat/store/chat-reducer';
import { fallbackName } from '@/features/chat/utils/format';
import { ME, msg, outgoing, ROOM, WANG } from '@/features/chat/__tests__/fixtures';

const names = new Map([
  [ME, '陳編輯'],
  [WANG, '王小明'],
]);
const nameOf = (id: string) => names.get(id) ?? fallbackName(id);

/** Virtuoso positions the list (at the newest message) in a later tick: wait for the rows. */
async function settle(count: number) {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  await waitFor(() => expect(screen.queryAllByTestId('chat-message').length).toBeGreaterThanOrEqual(Math.min(count, 10)));
  // hidden until it has reached its initial position
  await waitFor(() => expect(screen.getByTestId('virtuoso-item-list').style.visibility).not.toBe('hidden'));
}

async function renderList(items: TimelineItem[], extra: Partial<Parameters<typeof MessageList>[0]> = {}, wrap = true) {
  const props = {
    items,
    selfId: ME,
    nameOf,
    names,
    prepended: 0,
    hasOlder: false,
    loadingOlder: false,
    onLoadOlder: vi.fn(),
    onRetry: vi.fn(),
    onDiscard: vi.fn(),
    ...extra,
  };
  const ui = <MessageList {...props} />;
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>{children}</VirtuosoMockContext.Provider>
  );
  const result = render(wrap ? <Wrapper>{ui}</Wrapper> : ui);
  await settle(items.length);
  return { ...result, props };
}

function timeline(messages: ReturnType<typeof msg>[], pending: ReturnType<typeof outgoing>[] = []): TimelineItem[] {
  let state = chatReducer(initialChatState(ROOM, ME), { type: 'history/latest', messages, hasMore: false });
  for (const o of pending) state = chatReducer(state, { type: 'send', outgoing: o });
  return selectTimeline(state);
}

const rows = () => screen.queryAllByTestId('chat-message');

describe('message list', () => {
  it('renders 5,000 messages without 5,000 DOM rows (virtualised), ending at the newest', async () => {
    const messages = Array.from({ length: 5_000 }, (_, i) => msg(i + 1));
    const started = performance.now();
    const state = chatReducer(initialChatState(ROOM, ME), {
      type: 'history/latest',
      messages: [...messages].reverse(),
      hasMore: false,
    });
    const items = selectTimeline(state);
    const merged = performance.now();
    await renderList(items);
    const rendered = performance.now();
    expect(items).toHaveLength(5_000);
    const inDom = rows();
    expect(inDom.length).toBeGreaterThan(0);
    expect(inDom.length).toBeLessThan(60);
    expect(inDom.at(-1)).toHaveAttribute('data-seq', '5000');
    // sanity bounds, generous for slow CI machines
    expect(merged - started).toBeLessThan(1_000);
    expect(rendered - merged).toBeLessThan(3_000);
  });

  it('dedupes 5,000 replayed duplicates quickly and without changing the state', async () => {
    const messages = Array.from({ length: 5_000 }, (_, i) => msg(i + 1));
    const state = chatReducer(initialChatState(ROOM, ME), { type: 'history/latest', messages, hasMore: false });
    const started = performance.now();
    const again = chatReducer(state, { type: 'history/after', messages });
    expect(performance.now() - started).toBeLessThan(500);
    expect(again).toBe(state);
  });

  it('shows sender names, own messages distinctly, and a day separator in the locale', async () => {
    await renderList(
      timeline([
        msg(2, { sender_id: ME, content: '我的訊息', created_at: '2025-11-18T01:00:00Z' }),
        msg(1, { content: '王的訊息', created_at: '2025-11-17T01:00:00Z' }),
      ]),
    );
    const [theirs, mine] = rows();
    expect(theirs).toHaveTextContent('王小明');
    expect(theirs).not.toHaveClass('message-own');
    expect(mine).toHaveClass('message-own');
    expect(mine).toHaveAttribute('data-own', 'true');
    expect(mine).toHaveTextContent('你');
    const separators = screen.getAllByRole('separator');
    expect(separators).toHaveLength(2);
    const day = new Intl.DateTimeFormat('zh-TW', { dateStyle: 'full' }).format(new Date('2025-11-17T01:00:00Z'));
    expect(separators[0]).toHaveTextContent(day);
  });

  it('highlights @mentions and marks messages that mention me', async () => {
    await renderList(
      timeline([msg(1, { content: '請 @陳編輯 與 @王小明 確認', mentions: [ME, 'nobody@plant.test'] })]),
    );
    const [row] = rows();
    const marks = row!.querySelectorAll('mark.mention');
    expect([...marks].map((m) => m.textContent)).toEqual(['@陳編輯']);
    expect(row).toHaveClass('message-mentions-me');
    expect(within(row!).getByText('提到你')).toBeInTheDocument();
  });

  it('shows "此訊息已刪除" for a deleted message', async () => {
    await renderList(timeline([msg(1, { content: null, deleted_at: '2025-11-17T10:00:00Z' })]));
    expect(rows()[0]).toHaveTextContent('此訊息已刪除');
  });

  it('shows system events inline in zh-TW and English', async () => {
    const items = timeline([
      msg(1, { message_type: 'system', sender_id: 'system', content: { event: 'member_added', user_id: WANG, role: 'EDITOR' } }),
      msg(2, {
        message_type: 'system',
        sender_id: 'system',
        content: { event: 'room_status_changed', user_id: ME, status: 'resolved', old_status: 'active' },
      }),
      msg(3, { message_type: 'system', sender_id: 'system', content: { event: 'role_changed', user_id: ME, role: 'VIEWER' } }),
      msg(4, {
        message_type: 'system',
        sender_id: 'system',
        content: { event: 'member_removed', user_id: 'gone@plant.test', by: WANG },
      }),
    ]);
    const { unmount } = await renderList(items);
    expect(rows().map((r) => r.querySelector('[data-testid="message-text"]')?.textContent)).toEqual([
      '王小明 已加入',
      '陳編輯 將狀態改為 已解決',
      '陳編輯 的角色改為 檢視者',
      '王小明 將 gone 移出事件',
    ]);
    unmount();
    await i18n.changeLanguage('en');
    await renderList(items);
    expect(rows()[0]).toHaveTextContent('王小明 joined');
    expect(rows()[1]).toHaveTextContent('陳編輯 changed the status to Resolved');
  });

  it('shows pending states and a retry for failed sends', async () => {
    const user = userEvent.setup();
    const { props } = await renderList(
      timeline(
        [msg(1)],
        [
          outgoing('c1', { content: '排隊中', status: 'queued' }),
          outgoing('c2', { content: '傳送中', status: 'sending' }),
          outgoing('c3', { content: '失敗了', status: 'failed', error: 'timeout' }),
        ],
      ),
    );
    const [, queued, sending, failed] = rows();
    expect(queued).toHaveAttribute('data-status', 'queued');
    expect(queued).toHaveTextContent('等待連線後送出');
    expect(sending).toHaveTextContent('傳送中…');
    expect(within(failed!).getByRole('alert')).toHaveTextContent('傳送失敗（伺服器沒有回應）');
    await user.click(within(failed!).getByRole('button', { name: '重試' }));
    expect(props.onRetry).toHaveBeenCalledWith('c3');
    await user.click(within(failed!).getByRole('button', { name: '捨棄' }));
    expect(props.onDiscard).toHaveBeenCalledWith('c3');
  });

  it('says where the conversation begins, or that there are no messages yet', async () => {
    const { unmount } = await renderList([]);
    expect(screen.getByText('還沒有訊息，開始對話吧。')).toBeInTheDocument();
    unmount();
    await renderList(timeline([msg(1)]));
    expect(screen.getByText('這是對話的開頭')).toBeInTheDocument();
  });
});

describe('incident data card', () => {
  it('shows known fields with names and units, other fields by name, and the time in the locale', async () => {
    const timestamp = '2025-11-17T08:30:00Z';
    render(
      <IncidentDataCard
        data={{ temperature: 85.5, pressure: 101.3, production_rate: 1200, line_speed: 3, timestamp }}
      />,
    );
    const card = screen.getByTestId('incident-card');
    const rowsText = [...card.querySelectorAll('.incident-row')].map((r) => r.textContent);
    expect(rowsText[0]).toBe('溫度85.5 °C');
    expect(rowsText[1]).toBe('壓力101.3 kPa');
    expect(rowsText[2]).toBe('產能1,200 pcs/h');
    expect(rowsText[3]).toBe('line_speed3');
    const when = new Intl.DateTimeFormat('zh-TW', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(timestamp));
    expect(rowsText[4]).toBe(`量測時間${when}`);
  });

  it('renders inside the list for incident_data messages', async () => {
    await renderList(timeline([msg(1, { message_type: 'incident_data', content: { temperature: 92 } })]));
    expect(within(rows()[0]!).getByTestId('incident-card')).toHaveTextContent('92 °C');
  });
});

describe('message list on a phone whose keyboard opens', () => {
  /** A ResizeObserver jsdom lacks: the test says when the message list's size changed. */
  function fakeResizeObserver() {
    const watching: { target: Element; callback: ResizeObserverCallback; observer: ResizeObserver }[] = [];
    class FakeResizeObserver {
      constructor(private callback: ResizeObserverCallback) {}
      observe(target: Element) {
        watching.push({ target, callback: this.callback, observer: this as unknown as ResizeObserver });
      }
      unobserve() {}
      disconnect() {}
    }
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    return () =>
      act(() => {
        for (const { target, callback, observer } of watching) {
          if (target.classList.contains('chat-list')) callback([{ target } as ResizeObserverEntry], observer);
        }
      });
  }

  /** Gives the list and its scroller a layout: heights, and a scroll position that can be set. */
  function layout(list: HTMLElement, scroller: HTMLElement, sizes: { list: number; content: number; top: number }) {
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => sizes.list });
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => sizes.list });
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => sizes.content });
    Object.defineProperty(scroller, 'scrollTop', {
      configurable: true,
      get: () => sizes.top,
      set: (value: number) => {
        sizes.top = Math.min(value, sizes.content - sizes.list);
      },
    });
  }

  it('keeps the latest message in view when the list gets shorter or taller, unless the user scrolled up', async () => {
    const resized = fakeResizeObserver();
    try {
      const messages = Array.from({ length: 12 }, (_, i) => msg(i + 1));
      const sizes = { list: 600, content: 900, top: 300 };
      await renderList(timeline(messages));
      const list = document.querySelector<HTMLElement>('.chat-list')!;
      const scroller = document.querySelector<HTMLElement>('.chat-scroller')!;
      layout(list, scroller, sizes);
      resized(); // laid out: 600 px tall (taller than before: nothing to do)
      expect(sizes.top).toBe(300);
      scroller.dispatchEvent(new Event('scroll')); // at the end

      // the keyboard opens: 600 → 350 px; the end stays in view
      sizes.list = 350;
      resized();
      expect(sizes.top).toBe(550);
      scroller.dispatchEvent(new Event('scroll'));

      // it closes again (the browser moved the scroll position meanwhile): still the end
      sizes.list = 600;
      sizes.top = 0;
      scroller.dispatchEvent(new Event('scroll')); // before the observer hears of it: not the user's
      resized();
      expect(sizes.top).toBe(300);
      sizes.list = 350;
      resized();
      expect(sizes.top).toBe(550);

      // the user scrolls up to read, then the list shrinks again: the position is theirs
      sizes.top = 100;
      scroller.dispatchEvent(new Event('scroll'));
      sizes.list = 300;
      resized();
      expect(sizes.top).toBe(100);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
