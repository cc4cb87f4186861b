/**
 * The chat of one room as a pure reducer (no timers, no I/O: see chat-controller.ts for those).
 *
 * - Messages are keyed by `message_id` and ordered by `sequence_number`; a copy with the same
 *   `message_id` replaces the stored one only if its `version` is higher (delivery is
 *   at-least-once, replays overlap live frames, edits arrive as newer versions).
 * - `lastSeq` is the highest sequence number up to which nothing is missing (counted from the
 *   newest history page upward); `knownSeq` the highest the client knows exists. While
 *   `knownSeq > lastSeq` there is a gap, which the controller fills over REST (`after_seq`).
 * - A change frame (edit, deletion, reaction) for a message not held yet is kept in `held` and
 *   applied when the message arrives: its live frame can overtake the replay or history page
 *   that brings the message (a change stored right after the replay was read). Kept for at most
 *   `HELD_LIMIT` messages (older messages edited outside the loaded window are never loaded).
 * - Messages the user sends are optimistic `outbox` entries keyed by `client_id`:
 *   queued → sending → confirmed (removed; the message takes their place) or failed → retry.
 */
import { createMessage } from '@/lib/message';
import type { AckFrame, ErrorFrame, SubscribedFrame, SystemFrame } from '@/lib/socket/frames';
import type { ChatMessage, Outgoing } from '@/features/chat/types';

export const TYPING_TTL_MS = 3_000;

export type ChatState = {
  roomId: string;
  selfId: string;
  byId: Record<string, ChatMessage>;
  /** Message ids in ascending sequence order. */
  order: string[];
  seqIndex: Record<number, string>;
  /** Highest sequence number with nothing missing below it (within the loaded window); null until history loads. */
  lastSeq: number | null;
  /** Highest sequence number known to exist (received, acked, or announced by `subscribed`). */
  knownSeq: number;
  /** Lowest loaded sequence number (for `before=`), null when nothing is loaded. */
  oldestSeq: number | null;
  hasOlder: boolean;
  /** Messages added in front of the list by scrolling up (the virtual list's firstItemIndex follows it). */
  prepended: number;
  /** `server_time` of the last `subscribed`, sent back as `changed_since` on the next subscribe. */
  serverTime: string | null;
  subscribed: boolean;
  outbox: Outgoing[];
  online: string[];
  /** user_id → when their typing indicator expires (ms). */
  typing: Record<string, number>;
  /** The first history page could not be loaded (the controller offers a retry). */
  loadError: boolean;
  loadingOlder: boolean;
  /** The last edit / delete / reaction the server refused (an `error` frame naming its client_id), or `offline`. */
  notice: ChatNotice | null;
  /** Change frames for messages not held yet, by message id (applied when the message arrives). */
  held: Record<string, ChangeAction[]>;
};

export const HELD_LIMIT = 200;

export type ChatNotice = { id: number; action: 'edit' | 'delete' | 'reaction'; code: string };

export type ChatAction =
  | { type: 'history/latest'; messages: ChatMessage[]; hasMore: boolean }
  | { type: 'history/older'; messages: ChatMessage[]; hasMore: boolean }
  | { type: 'history/after'; messages: ChatMessage[] }
  | { type: 'history/status'; loadError?: boolean; loadingOlder?: boolean }
  | { type: 'connection/lost' }
  | { type: 'subscribed'; frame: SubscribedFrame }
  | { type: 'message'; message: ChatMessage }
  | { type: 'system'; frame: SystemFrame }
  | { type: 'ack'; frame: AckFrame }
  | { type: 'error'; frame: ErrorFrame }
  | { type: 'presence'; online: string[] }
  | { type: 'typing'; userId: string; isTyping: boolean; now: number }
  | { type: 'typing/expire'; now: number }
  | { type: 'send'; outgoing: Outgoing }
  | { type: 'outgoing/sent'; clientIds: string[]; now: number }
  | { type: 'outgoing/timeout'; clientId: string }
  | { type: 'retry'; clientId: string }
  | { type: 'discard'; clientId: string }
  /** Later protocol events (message_edited / message_deleted): fields of one message, newer version wins. */
  | { type: 'message/patch'; messageId: string; changes: Partial<ChatMessage>; version?: number | undefined }
  | { type: 'reaction'; messageId: string; emoji: string; userId: string; added: boolean; version?: number | undefined }
  | { type: 'notice'; notice: Omit<ChatNotice, 'id'> | null };

export type ChangeAction = Extract<ChatAction, { type: 'message/patch' | 'reaction' }>;

export function initialChatState(roomId: string, selfId: string): ChatState {
  return {
    roomId,
    selfId,
    byId: {},
    order: [],
    seqIndex: {},
    lastSeq: null,
    knownSeq: 0,
    oldestSeq: null,
    hasOlder: false,
    prepended: 0,
    serverTime: null,
    subscribed: false,
    outbox: [],
    online: [],
    typing: {},
    loadError: false,
    loadingOlder: false,
    notice: null,
    held: {},
  };
}

// ---------------------------------------------------------------------------------------
// Merging

function isNewer(incoming: ChatMessage, existing: ChatMessage | undefined): boolean {
  return !existing || (incoming.version ?? 1) > (existing.version ?? 1);
}

/** Moves `lastSeq` up over every contiguous sequence number now present. */
function advance(state: ChatState): ChatState {
  if (state.lastSeq === null) return state;
  let last = state.lastSeq;
  while (state.seqIndex[last + 1] !== undefined) last += 1;
  const knownSeq = Math.max(state.knownSeq, last);
  return last === state.lastSeq && knownSeq === state.knownSeq ? state : { ...state, lastSeq: last, knownSeq };
}

/**
 * Adds or replaces messages (any order, duplicates allowed). Returns the same state object
 * when nothing changed, so a duplicate frame does not even re-render.
 */
export function mergeMessages(state: ChatState, incoming: ChatMessage[]): ChatState {
  let byId: Record<string, ChatMessage> | null = null;
  let seqIndex: Record<number, string> | null = null;
  const added: ChatMessage[] = [];
  const confirmed = new Set<string>();
  let knownSeq = state.knownSeq;
  const typing = { ...state.typing };
  let typingChanged = false;

  for (const message of incoming) {
    if (!message || message.room_id !== state.roomId || typeof message.sequence_number !== 'number') continue;
    if (message.client_id && message.sender_id === state.selfId) confirmed.add(message.client_id);
    const current = (byId ?? state.byId)[message.message_id];
    if (!isNewer(message, current)) continue;
    byId ??= { ...state.byId };
    byId[message.message_id] = message;
    if (!current) {
      seqIndex ??= { ...state.seqIndex };
      seqIndex[message.sequence_number] = message.message_id;
      added.push(message);
      knownSeq = Math.max(knownSeq, message.sequence_number);
      if (typing[message.sender_id] !== undefined) {
        delete typing[message.sender_id];
        typingChanged = true;
      }
    }
  }

  const outbox = confirmed.size ? state.outbox.filter((o) => !confirmed.has(o.client_id)) : state.outbox;
  if (!byId && outbox === state.outbox) return state;

  let order = state.order;
  if (added.length) {
    const nextById = byId ?? state.byId;
    const seqOf = (id: string) => nextById[id]!.sequence_number;
    added.sort((a, b) => a.sequence_number - b.sequence_number);
    const last = order.length ? seqOf(order[order.length - 1]!) : -Infinity;
    if (added[0]!.sequence_number > last) {
      order = [...order, ...added.map((m) => m.message_id)]; // the common case: appended at the end
    } else {
      order = mergeSorted(order, added.map((m) => m.message_id), seqOf);
    }
  }

  const merged = advance({
    ...state,
    byId: byId ?? state.byId,
    seqIndex: seqIndex ?? state.seqIndex,
    order,
    knownSeq,
    outbox: outbox.length === state.outbox.length ? state.outbox : outbox,
    typing: typingChanged ? typing : state.typing,
  });
  return applyHeld(merged, added.map((m) => m.message_id));
}

/** Keeps a change frame whose message is not held yet (see `held`). */
function hold(state: ChatState, action: ChangeAction): ChatState {
  const held = { ...state.held, [action.messageId]: [...(state.held[action.messageId] ?? []), action] };
  const ids = Object.keys(held);
  if (ids.length > HELD_LIMIT) delete held[ids[0]!]; // the oldest first
  return { ...state, held };
}

/** Applies the kept change frames of messages that just arrived, oldest version first (those
 * older than the arrived copy are dropped by the version check). */
function applyHeld(state: ChatState, arrived: string[]): ChatState {
  let next = state;
  for (const id of arrived) {
    const changes = next.held[id];
    if (!changes) continue;
    const rest = { ...next.held };
    delete rest[id];
    next = { ...next, held: rest };
    for (const change of [...changes].sort((a, b) => (a.version ?? 0) - (b.version ?? 0))) {
      next = chatReducer(next, change);
    }
  }
  return next;
}

function mergeSorted(a: string[], b: string[], key: (id: string) => number): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && key(a[i]!) <= key(b[j]!))) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** A persisted system event frame as the message it is in history (`message_type: "system"`). */
export function systemFrameToMessage(frame: SystemFrame): ChatMessage | null {
  const { room_id, message_id, sequence_number, timestamp } = frame;
  const content: Record<string, unknown> = { ...frame };
  for (const key of ['type', 'room_id', 'message_id', 'sequence_number', 'timestamp']) delete content[key];
  if (typeof message_id !== 'string' || typeof sequence_number !== 'number') return null;
  return createMessage({
    message_id,
    room_id,
    sequence_number,
    sender_id: 'system',
    message_type: 'system',
    content,
    created_at: timestamp,
  });
}

function updateOutgoing(state: ChatState, clientId: string, change: (o: Outgoing) => Outgoing | null): ChatState {
  const index = state.outbox.findIndex((o) => o.client_id === clientId);
  if (index < 0) return state;
  const next = change(state.outbox[index]!);
  if (next === state.outbox[index]) return state;
  const outbox = [...state.outbox];
  if (next) outbox[index] = next;
  else outbox.splice(index, 1);
  return { ...state, outbox };
}

function lowestSeq(messages: ChatMessage[], current: number | null): number | null {
  let low = current;
  for (const m of messages) if (low === null || m.sequence_number < low) low = m.sequence_number;
  return low;
}

// ---------------------------------------------------------------------------------------
// Reducer

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'history/latest': {
      // The newest page: everything up to its newest message counts as received.
      const mine = action.messages.filter((m) => m.room_id === state.roomId);
      const top = mine.reduce((max, m) => Math.max(max, m.sequence_number), 0);
      const merged = mergeMessages(state, mine);
      const lastSeq = Math.max(state.lastSeq ?? 0, top);
      return advance({
        ...merged,
        lastSeq,
        knownSeq: Math.max(merged.knownSeq, lastSeq),
        oldestSeq: lowestSeq(mine, merged.oldestSeq),
        hasOlder: state.lastSeq === null ? action.hasMore : merged.hasOlder,
        loadError: false,
      });
    }
    case 'history/older': {
      const before = state.order.length;
      const merged = mergeMessages(state, action.messages);
      return {
        ...merged,
        oldestSeq: lowestSeq(action.messages.filter((m) => m.room_id === state.roomId), merged.oldestSeq),
        hasOlder: action.hasMore,
        loadingOlder: false,
        prepended: merged.prepended + (merged.order.length - before),
      };
    }
    case 'history/after':
      return mergeMessages(state, action.messages);
    case 'history/status':
      return {
        ...state,
        loadError: action.loadError ?? state.loadError,
        loadingOlder: action.loadingOlder ?? state.loadingOlder,
      };
    case 'connection/lost': {
      const outbox = state.outbox.some((o) => o.status === 'sending')
        ? state.outbox.map((o) => (o.status === 'sending' ? { ...o, status: 'queued' as const } : o))
        : state.outbox;
      if (!state.subscribed && outbox === state.outbox && !Object.keys(state.typing).length && !state.online.length) {
        return state;
      }
      // Presence and typing are only known while subscribed; the next `subscribed` brings them back.
      return { ...state, subscribed: false, outbox, typing: {}, online: [] };
    }
    case 'subscribed': {
      if (action.frame.room_id !== state.roomId) return state;
      return {
        ...state,
        subscribed: true,
        online: Array.isArray(action.frame.online) ? action.frame.online : state.online,
        serverTime: action.frame.server_time ?? state.serverTime,
        knownSeq: Math.max(state.knownSeq, Number(action.frame.last_seq) || 0),
      };
    }
    case 'message':
      return mergeMessages(state, [action.message]);
    case 'system': {
      const { frame } = action;
      if (frame.room_id !== state.roomId) return state;
      if (frame.event === 'user_joined' || frame.event === 'user_left') {
        const without = state.online.filter((id) => id !== frame.user_id);
        const online = frame.event === 'user_joined' ? [...without, frame.user_id] : without;
        return { ...state, online };
      }
      const message = systemFrameToMessage(frame);
      return message ? mergeMessages(state, [message]) : state;
    }
    case 'ack': {
      const { frame } = action;
      const outgoing = state.outbox.find((o) => o.client_id === frame.client_id);
      if (!outgoing) return state;
      // The ack is the confirmation: show the message in its place now, even before its
      // `message` frame (version 0, so the real copy replaces it).
      const message = createMessage({
        message_id: frame.message_id,
        room_id: state.roomId,
        sequence_number: frame.sequence_number,
        sender_id: state.selfId,
        message_type: outgoing.message_type,
        content: outgoing.content,
        mentions: outgoing.mentions,
        file_id: outgoing.file_id,
        client_id: outgoing.client_id,
        created_at: frame.created_at,
        version: 0,
      });
      const withoutPending = { ...state, outbox: state.outbox.filter((o) => o !== outgoing) };
      return state.byId[frame.message_id] ? withoutPending : mergeMessages(withoutPending, [message]);
    }
    case 'error': {
      const { client_id: clientId, code } = action.frame;
      if (!clientId) return state;
      return updateOutgoing(state, clientId, (o) => ({ ...o, status: 'failed', error: code || 'internal_error' }));
    }
    case 'presence':
      return { ...state, online: action.online };
    case 'typing': {
      if (action.userId === state.selfId) return state;
      if (action.isTyping) return { ...state, typing: { ...state.typing, [action.userId]: action.now + TYPING_TTL_MS } };
      if (state.typing[action.userId] === undefined) return state;
      const typing = { ...state.typing };
      delete typing[action.userId];
      return { ...state, typing };
    }
    case 'typing/expire': {
      const live = Object.entries(state.typing).filter(([, until]) => until > action.now);
      if (live.length === Object.keys(state.typing).length) return state;
      return { ...state, typing: Object.fromEntries(live) };
    }
    case 'send':
      if (state.outbox.some((o) => o.client_id === action.outgoing.client_id)) return state;
      return { ...state, outbox: [...state.outbox, action.outgoing] };
    case 'outgoing/sent': {
      const ids = new Set(action.clientIds);
      if (!state.outbox.some((o) => ids.has(o.client_id))) return state;
      return {
        ...state,
        outbox: state.outbox.map((o) =>
          ids.has(o.client_id) ? { ...o, status: 'sending', sent_at: action.now, attempts: o.attempts + 1, error: null } : o,
        ),
      };
    }
    case 'outgoing/timeout':
      return updateOutgoing(state, action.clientId, (o) =>
        o.status === 'sending' ? { ...o, status: 'failed', error: 'timeout' } : o,
      );
    case 'retry':
      return updateOutgoing(state, action.clientId, (o) =>
        o.status === 'failed' ? { ...o, status: 'queued', error: null } : o,
      );
    case 'discard':
      return updateOutgoing(state, action.clientId, (o) => (o.status === 'failed' ? null : o));
    case 'message/patch': {
      const current = state.byId[action.messageId];
      if (!current) return hold(state, action);
      // One stored change can produce several frames with the same version (an edit and a
      // reaction): equal versions apply (they are idempotent), only older ones are dropped.
      if (action.version !== undefined && action.version < (current.version ?? 1)) return state;
      const next = { ...current, ...action.changes, version: action.version ?? current.version };
      return { ...state, byId: { ...state.byId, [current.message_id]: next } };
    }
    case 'reaction': {
      const current = state.byId[action.messageId];
      if (!current) return hold(state, action);
      if (action.version !== undefined && action.version < (current.version ?? 1)) return state;
      const users = current.reactions?.[action.emoji] ?? [];
      const has = users.includes(action.userId);
      if (has === action.added) {
        // Already so (our own copy was newer in content): still remember the version, so an
        // older frame arriving late cannot undo it.
        if (action.version === undefined || action.version <= (current.version ?? 1)) return state;
        return { ...state, byId: { ...state.byId, [current.message_id]: { ...current, version: action.version } } };
      }
      const nextUsers = action.added ? [...users, action.userId] : users.filter((u) => u !== action.userId);
      const reactions = { ...current.reactions, [action.emoji]: nextUsers };
      if (!nextUsers.length) delete reactions[action.emoji];
      const next = { ...current, reactions, version: action.version ?? current.version };
      return { ...state, byId: { ...state.byId, [current.message_id]: next } };
    }
    case 'notice':
      if (!action.notice) return state.notice ? { ...state, notice: null } : state;
      return { ...state, notice: { ...action.notice, id: (state.notice?.id ?? 0) + 1 } };
    default:
      return state;
  }
}

// ---------------------------------------------------------------------------------------
// Selectors

export type TimelineItem =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'outgoing'; key: string; outgoing: Outgoing };

/** Stored messages in sequence order, then the user's unconfirmed ones in the order they were written. */
export function selectTimeline(state: Pick<ChatState, 'order' | 'byId' | 'outbox'>): TimelineItem[] {
  const items: TimelineItem[] = state.order.map((id) => ({ kind: 'message', key: id, message: state.byId[id]! }));
  for (const outgoing of state.outbox) items.push({ kind: 'outgoing', key: `c:${outgoing.client_id}`, outgoing });
  return items;
}

export function hasGap(state: ChatState): boolean {
  return state.lastSeq !== null && state.knownSeq > state.lastSeq;
}

export function queuedOutgoing(state: ChatState): Outgoing[] {
  return state.outbox.filter((o) => o.status === 'queued');
}

/** Users typing now, oldest indicator first. */
export function typingUsers(state: ChatState, now: number): string[] {
  return Object.entries(state.typing)
    .filter(([, until]) => until > now)
    .sort((a, b) => a[1] - b[1])
    .map(([id]) => id);
}
