import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer, MAX_MESSAGE_CHARS } from '@/features/chat/components/composer';
import { TYPING_IDLE_MS, TypingNotifier } from '@/features/chat/hooks/typing-notifier';
import type { ChatMember } from '@/features/chat/types';
import { ME } from '@/features/chat/__tests__/fixtures';

const MEMBERS: ChatMember[] = [
  { user_id: ME, display_name: '陳編輯' },
  { user_id: 'wang.owner@plant.test', display_name: '王小明' },
  { user_id: 'wang.lee@plant.test', display_name: '王大同' },
  { user_id: 'huang.tech@plant.test', display_name: '黃技術' },
];

function setup() {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  render(<Composer members={MEMBERS} selfId={ME} onSend={onSend} onTyping={onTyping} />);
  const box = screen.getByRole('textbox', { name: '訊息' }) as HTMLTextAreaElement;
  return { onSend, onTyping, box, user: userEvent.setup() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('composer: Enter, Shift+Enter and input methods', () => {
  it('Enter sends the text and clears the box', async () => {
    const { onSend, box, user } = setup();
    await user.type(box, '設備溫度上升到85度{Enter}');
    expect(onSend).toHaveBeenCalledWith({ message_type: 'text', content: '設備溫度上升到85度', mentions: [] });
    expect(box.value).toBe('');
  });

  it('Shift+Enter inserts a newline and does not send', async () => {
    const { onSend, box, user } = setup();
    await user.type(box, '第一行{Shift>}{Enter}{/Shift}第二行');
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('第一行\n第二行');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith(expect.objectContaining({ content: '第一行\n第二行' }));
  });

  it('never sends on Enter while an IME is composing (event.isComposing)', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'wen du' } });
    const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, isComposing: true });
    fireEvent(box, event);
    expect(event.isComposing).toBe(true);
    expect(onSend).not.toHaveBeenCalled();
    expect(event.defaultPrevented).toBe(false); // the IME gets its Enter
    expect(box.value).toBe('wen du');
  });

  it('never sends on Enter with keyCode 229 (Safari ends the composition before keydown)', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '溫度' } });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('溫度');
    // the Enter after the composition really ended sends
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(onSend).toHaveBeenCalledWith(expect.objectContaining({ content: '溫度' }));
  });

  it('never sends between compositionstart and compositionend', () => {
    const { onSend, box } = setup();
    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: 'ㄨㄣ' } });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.compositionEnd(box);
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it('does not send blank text', async () => {
    const { onSend, box, user } = setup();
    await user.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: '送出' })).toBeDisabled();
  });

  it('counts characters near the 4,000 limit and refuses longer text', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'a'.repeat(100) } });
    expect(screen.queryByText(/\/ 4000/)).not.toBeInTheDocument();
    fireEvent.change(box, { target: { value: 'a'.repeat(3600) } });
    expect(screen.getByText('3600 / 4000')).toBeInTheDocument();
    fireEvent.change(box, { target: { value: 'a'.repeat(MAX_MESSAGE_CHARS + 1) } });
    expect(screen.getByText(/4001 \/ 4000/)).toHaveTextContent('訊息超過 4000 字');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: '送出' })).toBeDisabled();
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
  });
});

describe('composer: @mention autocomplete', () => {
  it('suggests members (not me) after @, navigates with the arrow keys and inserts the name on Enter', async () => {
    const { onSend, box, user } = setup();
    await user.type(box, '請 @王');
    const list = screen.getByRole('listbox', { name: '提及成員' });
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.querySelector('.mention-name')?.textContent)).toEqual(['王小明', '王大同']);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    expect(list).toBeInTheDocument();
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[1]!.id);
    await user.keyboard('{Enter}');
    expect(box.value).toBe('請 @王大同 ');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(onSend).not.toHaveBeenCalled(); // that Enter picked the name
    await user.type(box, '確認一下{Enter}');
    expect(onSend).toHaveBeenCalledWith({
      message_type: 'text',
      content: '請 @王大同 確認一下',
      mentions: ['wang.lee@plant.test'],
    });
  });

  it('Escape closes the list; a mention removed from the text is not sent', async () => {
    const { onSend, box, user } = setup();
    await user.type(box, '@黃');
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.clear(box);
    await user.type(box, '@黃{Tab}');
    expect(box.value).toBe('@黃技術 ');
    await user.clear(box);
    await user.type(box, '沒有提及{Enter}');
    expect(onSend).toHaveBeenCalledWith({ message_type: 'text', content: '沒有提及', mentions: [] });
  });

  it('picks a member with the mouse', async () => {
    const { box, user } = setup();
    await user.type(box, '@');
    await user.click(screen.getByRole('option', { name: /王小明/ }));
    expect(box.value).toBe('@王小明 ');
  });
});

describe('composer: typing frames', () => {
  it('sends typing true once while typing fast, false after 3 s idle', () => {
    vi.useFakeTimers();
    const { onTyping, box } = setup();
    for (const text of ['a', 'ab', 'abc']) fireEvent.change(box, { target: { value: text } });
    expect(onTyping.mock.calls).toEqual([[true]]);
    act(() => vi.advanceTimersByTime(TYPING_IDLE_MS));
    expect(onTyping.mock.calls).toEqual([[true], [false]]);
  });

  it('sends typing false on send', () => {
    const { onTyping, box } = setup();
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(onTyping.mock.calls).toEqual([[true], [false]]);
  });
});

describe('TypingNotifier', () => {
  it('throttles typing true to one every 2 s while typing continues', () => {
    vi.useFakeTimers();
    let now = 0;
    const send = vi.fn();
    const notifier = new TypingNotifier(send, () => now);
    for (let i = 0; i < 10; i += 1) {
      notifier.input();
      now += 500;
      vi.advanceTimersByTime(500);
    }
    // 5 s of typing: true at 0, 2000, 4000
    expect(send.mock.calls).toEqual([[true], [true], [true]]);
    // the last keystroke was at 4500: false 3 s later
    vi.advanceTimersByTime(2_499);
    expect(send).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(1);
    expect(send.mock.calls.at(-1)).toEqual([false]);
    notifier.stop(); // already stopped: nothing more
    expect(send).toHaveBeenCalledTimes(4);
  });
});
