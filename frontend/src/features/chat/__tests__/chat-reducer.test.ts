import { describe, expect, it } from 'vitest';
import {
  chatReducer,
  hasGap,
  HELD_LIMIT,
  initialChatState,
  selectTimeline,
  typingUsers,
  type ChatAction,
  type ChatState,
} from '@/features/chat/store/chat-reducer';
import { ME, msg, outgoing, ROOM, WANG } from '@/features/chat/__tests__/fixtures';

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state);
}

/** A room whose newest history page ended at `lastSeq`. */
function loaded(...seqs: number[]): ChatState {
  return run(initialChatState(ROOM, ME), {
    type: 'history/latest',
    messages: seqs.map((s) => msg(s)).reverse(),
    hasMore: false,
  });
}

const seqs = (state: ChatState) => state.order.map((id) => state.byId[id]!.sequence_number);
const texts = (state: ChatState) =>
  selectTimeline(state).map((i) => (i.kind === 'message' ? i.message.content : `pending:${String(i.outgoing.content)}`));

describe('chat reducer: history and live messages', () => {
  it('starts unloaded; the newest page sets lastSeq to its newest message, oldest first', () => {
    const state = initialChatState(ROOM, ME);
    expect(state.lastSeq).toBeNull();
    const next = chatReducer(state, { type: 'history/latest', messages: [msg(5), msg(4), msg(3)], hasMore: true });
    expect(seqs(next)).toEqual([3, 4, 5]);
    expect(next.lastSeq).toBe(5);
    expect(next.oldestSeq).toBe(3);
    expect(next.hasOlder).toBe(true);
  });

  it('an empty room starts at lastSeq 0', () => {
    expect(loaded().lastSeq).toBe(0);
  });

  it('dedupes by message_id: the same frame twice changes nothing (same state object)', () => {
    const once = run(loaded(1), { type: 'message', message: msg(2) });
    const twice = chatReducer(once, { type: 'message', message: msg(2) });
    expect(twice).toBe(once);
    expect(seqs(twice)).toEqual([1, 2]);
  });

  it('orders by sequence number whatever the arrival order', () => {
    const state = run(
      loaded(1),
      { type: 'message', message: msg(4) },
      { type: 'message', message: msg(2) },
      { type: 'message', message: msg(3) },
    );
    expect(seqs(state)).toEqual([1, 2, 3, 4]);
    expect(state.lastSeq).toBe(4);
  });

  it('a higher version replaces the stored copy; an equal or lower one is ignored', () => {
    const edited = msg(2, { content: 'edited', version: 2, edited_at: '2025-11-17T10:00:00Z' });
    let state = run(loaded(1, 2), { type: 'message', message: edited });
    expect(state.byId.m2!.content).toBe('edited');
    state = chatReducer(state, { type: 'message', message: msg(2, { content: 'stale', version: 1 }) });
    expect(state.byId.m2!.content).toBe('edited');
    expect(chatReducer(state, { type: 'message', message: edited })).toBe(state);
    expect(seqs(state)).toEqual([1, 2]);
  });

  it('tracks the highest contiguous sequence number and reports a gap until it is filled', () => {
    let state = run(loaded(1, 2), { type: 'message', message: msg(5) });
    expect(state.lastSeq).toBe(2);
    expect(state.knownSeq).toBe(5);
    expect(hasGap(state)).toBe(true);
    state = chatReducer(state, { type: 'history/after', messages: [msg(3), msg(4), msg(5)] });
    expect(state.lastSeq).toBe(5);
    expect(hasGap(state)).toBe(false);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a subscribed frame announcing a higher last_seq is a gap too', () => {
    const state = chatReducer(loaded(1, 2), {
      type: 'subscribed',
      frame: { type: 'subscribed', room_id: ROOM, online: [ME], last_seq: 4, server_time: '2025-11-17T10:00:00.000Z' },
    });
    expect(state.subscribed).toBe(true);
    expect(state.serverTime).toBe('2025-11-17T10:00:00.000Z');
    expect(state.online).toEqual([ME]);
    expect(hasGap(state)).toBe(true);
  });

  it('older history is prepended and counted for the virtual list; it does not move lastSeq', () => {
    const state = chatReducer(loaded(51, 52), {
      type: 'history/older',
      messages: [msg(50), msg(49), msg(48)],
      hasMore: false,
    });
    expect(seqs(state)).toEqual([48, 49, 50, 51, 52]);
    expect(state.prepended).toBe(3);
    expect(state.oldestSeq).toBe(48);
    expect(state.hasOlder).toBe(false);
    expect(state.lastSeq).toBe(52);
  });

  it('ignores messages of other rooms', () => {
    const state = loaded(1);
    expect(chatReducer(state, { type: 'message', message: msg(2, { room_id: 'other' }) })).toBe(state);
  });

  it('persisted system frames become inline system messages with their sequence number', () => {
    const state = chatReducer(loaded(1), {
      type: 'system',
      frame: {
        type: 'system',
        event: 'member_added',
        room_id: ROOM,
        user_id: ME,
        timestamp: '2025-11-17T10:00:00.000Z',
        message_id: 'sys-2',
        sequence_number: 2,
        role: 'EDITOR',
      },
    });
    const system = state.byId['sys-2']!;
    expect(system.message_type).toBe('system');
    expect(system.content).toEqual({ event: 'member_added', user_id: ME, role: 'EDITOR' });
    expect(state.lastSeq).toBe(2);
  });

  it('ephemeral user_joined / user_left only update who is online', () => {
    const base = loaded(1);
    const joined = chatReducer(base, {
      type: 'system',
      frame: { type: 'system', event: 'user_joined', room_id: ROOM, user_id: WANG, timestamp: 'x' },
    });
    expect(joined.online).toEqual([WANG]);
    expect(joined.order).toBe(base.order);
    const left = chatReducer(joined, {
      type: 'system',
      frame: { type: 'system', event: 'user_left', room_id: ROOM, user_id: WANG, timestamp: 'x' },
    });
    expect(left.online).toEqual([]);
  });
});

describe('chat reducer: sending', () => {
  const subscribedFrame = { type: 'subscribed' as const, room_id: ROOM, online: [], last_seq: 1, server_time: 't' };

  it('a send is pending until its ack, then takes its place in the sequence', () => {
    let state = run(loaded(1), { type: 'send', outgoing: outgoing('c1') });
    expect(texts(state)).toEqual(['message 1', 'pending:text of c1']);
    state = chatReducer(state, { type: 'outgoing/sent', clientIds: ['c1'], now: 1000 });
    expect(state.outbox[0]).toMatchObject({ status: 'sending', sent_at: 1000, attempts: 1 });
    state = chatReducer(state, {
      type: 'ack',
      frame: { type: 'ack', client_id: 'c1', message_id: 'm2', sequence_number: 2, created_at: '2025-11-17T10:00:00Z' },
    });
    expect(state.outbox).toEqual([]);
    expect(state.byId.m2).toMatchObject({ sender_id: ME, content: 'text of c1', client_id: 'c1', version: 0 });
    expect(state.lastSeq).toBe(2);
    // the broadcast copy of the same message replaces the ack's stand-in, no duplicate
    state = chatReducer(state, { type: 'message', message: msg(2, { sender_id: ME, client_id: 'c1', content: 'text of c1' }) });
    expect(state.byId.m2!.version).toBe(1);
    expect(texts(state)).toEqual(['message 1', 'text of c1']);
  });

  it('the message frame carrying our client_id confirms the send when it comes before the ack', () => {
    let state = run(loaded(1), { type: 'send', outgoing: outgoing('c1') }, { type: 'outgoing/sent', clientIds: ['c1'], now: 1 });
    state = chatReducer(state, { type: 'message', message: msg(2, { sender_id: ME, client_id: 'c1', content: 'text of c1' }) });
    expect(state.outbox).toEqual([]);
    const afterAck = chatReducer(state, {
      type: 'ack',
      frame: { type: 'ack', client_id: 'c1', message_id: 'm2', sequence_number: 2, created_at: 'x' },
    });
    expect(afterAck).toBe(state);
    expect(texts(afterAck)).toEqual(['message 1', 'text of c1']);
  });

  it('someone else’s message with the same client_id does not confirm ours', () => {
    const state = run(
      loaded(1),
      { type: 'send', outgoing: outgoing('c1') },
      { type: 'message', message: msg(2, { sender_id: WANG, client_id: 'c1' }) },
    );
    expect(state.outbox).toHaveLength(1);
  });

  it('an error frame with the client_id fails the send; retry queues it again with the same client_id', () => {
    let state = run(
      loaded(1),
      { type: 'send', outgoing: outgoing('c1') },
      { type: 'outgoing/sent', clientIds: ['c1'], now: 1 },
      { type: 'error', frame: { type: 'error', code: 'too_large', message: 'too big', client_id: 'c1' } },
    );
    expect(state.outbox[0]).toMatchObject({ status: 'failed', error: 'too_large' });
    state = chatReducer(state, { type: 'retry', clientId: 'c1' });
    expect(state.outbox[0]).toMatchObject({ client_id: 'c1', status: 'queued', error: null });
  });

  it('error frames without a known client_id are ignored', () => {
    const state = run(loaded(1), { type: 'send', outgoing: outgoing('c1') });
    expect(chatReducer(state, { type: 'error', frame: { type: 'error', code: 'validation_error', message: 'x' } })).toBe(state);
    expect(
      chatReducer(state, { type: 'error', frame: { type: 'error', code: 'forbidden', message: 'x', client_id: 'zz' } }),
    ).toBe(state);
  });

  it('a timeout fails only a send still waiting for its ack', () => {
    let state = run(loaded(1), { type: 'send', outgoing: outgoing('c1') });
    expect(chatReducer(state, { type: 'outgoing/timeout', clientId: 'c1' })).toBe(state); // queued: not on the wire
    state = run(state, { type: 'outgoing/sent', clientIds: ['c1'], now: 1 }, { type: 'outgoing/timeout', clientId: 'c1' });
    expect(state.outbox[0]).toMatchObject({ status: 'failed', error: 'timeout' });
  });

  it('a failed send can be discarded', () => {
    const state = run(
      loaded(1),
      { type: 'send', outgoing: outgoing('c1') },
      { type: 'outgoing/sent', clientIds: ['c1'], now: 1 },
      { type: 'outgoing/timeout', clientId: 'c1' },
      { type: 'discard', clientId: 'c1' },
    );
    expect(state.outbox).toEqual([]);
  });

  it('offline queue: a lost connection puts in-flight sends back in the queue, each once', () => {
    let state = run(
      loaded(1),
      { type: 'subscribed', frame: subscribedFrame },
      { type: 'send', outgoing: outgoing('c1') },
      { type: 'outgoing/sent', clientIds: ['c1'], now: 1 },
      { type: 'send', outgoing: outgoing('c2') },
      { type: 'connection/lost' },
    );
    expect(state.subscribed).toBe(false);
    expect(state.outbox.map((o) => [o.client_id, o.status])).toEqual([
      ['c1', 'queued'],
      ['c2', 'queued'],
    ]);
    // the same client_id is never queued twice
    expect(chatReducer(state, { type: 'send', outgoing: outgoing('c1') })).toBe(state);
    // after the reconnect both go out; the server's answers confirm each exactly once
    state = run(
      state,
      { type: 'subscribed', frame: subscribedFrame },
      { type: 'outgoing/sent', clientIds: ['c1', 'c2'], now: 2 },
      { type: 'ack', frame: { type: 'ack', client_id: 'c1', message_id: 'm2', sequence_number: 2, created_at: 'x' } },
      { type: 'ack', frame: { type: 'ack', client_id: 'c1', message_id: 'm2', sequence_number: 2, created_at: 'x' } },
      { type: 'message', message: msg(2, { sender_id: ME, client_id: 'c1', content: 'text of c1' }) },
      { type: 'message', message: msg(3, { sender_id: ME, client_id: 'c2', content: 'text of c2' }) },
      { type: 'message', message: msg(2, { sender_id: ME, client_id: 'c1', content: 'text of c1' }) },
    );
    expect(texts(state)).toEqual(['message 1', 'text of c1', 'text of c2']);
    expect(state.outbox).toEqual([]);
  });
});

describe('chat reducer: typing, presence and later events', () => {
  it('typing indicators expire after 3 s, are cleared by is_typing false or a message, and skip myself', () => {
    let state = run(
      loaded(1),
      { type: 'typing', userId: WANG, isTyping: true, now: 1000 },
      { type: 'typing', userId: ME, isTyping: true, now: 1000 },
    );
    expect(typingUsers(state, 1000)).toEqual([WANG]);
    expect(chatReducer(state, { type: 'typing/expire', now: 3999 })).toBe(state);
    expect(typingUsers(chatReducer(state, { type: 'typing/expire', now: 4000 }), 4000)).toEqual([]);
    expect(typingUsers(chatReducer(state, { type: 'typing', userId: WANG, isTyping: false, now: 1500 }), 1500)).toEqual([]);
    state = chatReducer(state, { type: 'message', message: msg(2, { sender_id: WANG }) });
    expect(state.typing).toEqual({});
  });

  it('presence replaces the online list', () => {
    expect(chatReducer(loaded(), { type: 'presence', online: [ME, WANG] }).online).toEqual([ME, WANG]);
  });

  it('patches (edit / delete) apply only with a newer version', () => {
    let state = chatReducer(loaded(1), {
      type: 'message/patch',
      messageId: 'm1',
      version: 2,
      changes: { content: null, deleted_at: '2025-11-17T10:00:00Z' },
    });
    expect(state.byId.m1).toMatchObject({ content: null, version: 2 });
    expect(chatReducer(state, { type: 'message/patch', messageId: 'm1', version: 1, changes: { content: 'x' } })).toBe(state);
    // an older full copy (a late replay) does not undo the deletion
    state = chatReducer(state, { type: 'message', message: msg(1) });
    expect(state.byId.m1!.deleted_at).not.toBeNull();
  });

  it('frames of one change share its version: an edit and a reaction at version 2 both apply', () => {
    const state = run(
      loaded(1),
      { type: 'message/patch', messageId: 'm1', version: 2, changes: { content: 'edited', edited_at: 'x' } },
      { type: 'reaction', messageId: 'm1', emoji: '👍', userId: WANG, added: true, version: 2 },
    );
    expect(state.byId.m1).toMatchObject({ content: 'edited', reactions: { '👍': [WANG] }, version: 2 });
    // a late reaction frame of version 1 is dropped
    expect(chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '🔥', userId: WANG, added: true, version: 1 })).toBe(state);
  });

  it('a change frame that overtook its message is kept and applied when the message arrives', () => {
    // subscribed, the replay was read (m3 at version 1), m3 was edited: the live edit v2 reached
    // the socket before the replay did
    let state = run(
      loaded(1, 2),
      { type: 'message/patch', messageId: 'm3', version: 2, changes: { content: 'edited', edited_at: 'x' } },
      { type: 'reaction', messageId: 'm3', emoji: '👍', userId: WANG, added: true, version: 3 },
      { type: 'reaction', messageId: 'm9', emoji: '🔥', userId: WANG, added: true, version: 1 },
    );
    expect(state.byId.m3).toBeUndefined();
    expect(Object.keys(state.held)).toEqual(['m3', 'm9']);
    state = chatReducer(state, { type: 'message', message: msg(3) });
    expect(state.byId.m3).toMatchObject({ content: 'edited', reactions: { '👍': [WANG] }, version: 3 });
    expect(Object.keys(state.held)).toEqual(['m9']);
    // a kept change older than the copy that arrives is dropped
    state = chatReducer(state, { type: 'message', message: msg(9, { version: 2, reactions: {} }) });
    expect(state.byId.m9).toMatchObject({ reactions: {}, version: 2 });
    expect(state.held).toEqual({});
  });

  it('keeps change frames for at most HELD_LIMIT messages, dropping the oldest', () => {
    let state = loaded(1);
    for (let i = 0; i <= HELD_LIMIT; i += 1) {
      state = chatReducer(state, { type: 'message/patch', messageId: `x${i}`, version: 2, changes: { content: 'e' } });
    }
    expect(Object.keys(state.held)).toHaveLength(HELD_LIMIT);
    expect(state.held.x0).toBeUndefined();
    expect(state.held[`x${HELD_LIMIT}`]).toHaveLength(1);
  });

  it('reactions toggle per user and emoji', () => {
    let state = chatReducer(loaded(1), { type: 'reaction', messageId: 'm1', emoji: '👍', userId: WANG, added: true });
    expect(state.byId.m1!.reactions).toEqual({ '👍': [WANG] });
    state = chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '👍', userId: WANG, added: false });
    expect(state.byId.m1!.reactions).toEqual({});
  });
});
