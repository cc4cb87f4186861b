/**
 * The side effects of one room's chat around its pure store: WebSocket frames in, subscribe /
 * message / typing frames out, REST history, and the timers (ack timeout, typing expiry, gap fill).
 *
 * - History first, then `subscribe` with `last_seq` (and `changed_since` once a previous
 *   subscription told us its `server_time`), on the first connect and on every reconnect;
 *   the server replays what came or changed after it (oldest first, capped: `has_more` and any
 *   remaining gap are fetched with `GET …/messages?after_seq=`).
 * - Sends go out only once the room is subscribed; until then (offline, reconnecting) they stay
 *   queued and are flushed right after the `subscribed` frame, each exactly once per connection.
 *   A message that was on the wire when the connection dropped is sent again with the same
 *   `client_id`: the server answers a repeat with the original ack, so it is stored once.
 * - No ack within `ackTimeoutMs` while connected → failed, with retry (same `client_id`).
 */
import type { ConnectionState, RealtimeClient } from '@/lib/socket/client';
import type {
  AckFrame,
  ErrorFrame,
  MessageDeletedFrame,
  MessageEditedFrame,
  MessageFrame,
  MessageOperationFrame,
  PresenceFrame,
  ReactionAddedFrame,
  ReactionRemovedFrame,
  SendMessageFrame,
  SubscribedFrame,
  SubscribeFrame,
  SystemFrame,
  TypingFrame,
} from '@/lib/socket/frames';
import type { AfterPage, HistoryPage } from '@/features/chat/api/get-messages';
import { hasGap, queuedOutgoing, TYPING_TTL_MS, type ChatNotice } from '@/features/chat/store/chat-reducer';
import type { ChatStore } from '@/features/chat/store/chat-store';
import type { ChatMessage, Draft, Outgoing } from '@/features/chat/types';

export const ACK_TIMEOUT_MS = 10_000;
export const GAP_FILL_DELAY_MS = 1_500;

type RealtimePart = Pick<RealtimeClient, 'send' | 'subscribe' | 'subscribeState' | 'getState'>;

export type ChatControllerDeps = {
  client: RealtimePart;
  fetchLatest: (roomId: string) => Promise<HistoryPage>;
  fetchBefore: (roomId: string, before: number) => Promise<HistoryPage>;
  fetchAfter: (roomId: string, afterSeq: number) => Promise<AfterPage>;
  now?: () => number;
  newId?: () => string;
  ackTimeoutMs?: number;
  gapFillDelayMs?: number;
};

function uuid(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // RFC 4122 v4 from Math.random (old browsers / insecure origins)
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export class ChatController {
  private readonly deps: Required<ChatControllerDeps>;
  private readonly store: ChatStore;
  private readonly roomId: string;
  private running = false;
  private unsubscribers: Array<() => void> = [];
  /** The subscribe frame went out on the current connection. */
  private subscribeSent = false;
  private lastConnection: ConnectionState = 'idle';
  private loadingInitial = false;
  private resyncing = false;
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** client_id → what an edit / delete / reaction frame asked for (its `error` frame names the client_id). */
  private readonly pendingOps = new Map<string, ChatNotice['action']>();

  constructor(store: ChatStore, deps: ChatControllerDeps) {
    this.store = store;
    this.roomId = store.getState().roomId;
    this.deps = {
      now: Date.now,
      newId: uuid,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      gapFillDelayMs: GAP_FILL_DELAY_MS,
      ...deps,
    };
  }

  // -- lifecycle -------------------------------------------------------------------------

  start(): void {
    if (this.running) return;
    this.running = true;
    const { client } = this.deps;
    this.unsubscribers = [
      client.subscribe('subscribed', (f) => this.onSubscribed(f)),
      client.subscribe('message', (f) => this.onMessage(f)),
      client.subscribe('system', (f) => this.onSystem(f)),
      client.subscribe('ack', (f) => this.onAck(f)),
      client.subscribe('error', (f) => this.onError(f)),
      client.subscribe('presence', (f) => this.onPresence(f)),
      client.subscribe('typing', (f) => this.onTyping(f)),
      client.subscribe('message_edited', (f) => this.onEdited(f)),
      client.subscribe('message_deleted', (f) => this.onDeleted(f)),
      client.subscribe('reaction_added', (f) => this.onReaction(f)),
      client.subscribe('reaction_removed', (f) => this.onReaction(f)),
      client.subscribeState(() => this.onConnectionState()),
    ];
    this.subscribeSent = false;
    this.lastConnection = client.getState();
    if (this.store.getState().lastSeq === null) void this.loadInitial();
    this.onConnectionState();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.unsubscribers.forEach((off) => off());
    this.unsubscribers = [];
    if (this.subscribeSent) this.deps.client.send({ type: 'unsubscribe', room_id: this.roomId });
    this.subscribeSent = false;
    this.clearTimers();
    // Whatever was in flight is sent again (same client_id) when the room is opened again.
    this.store.dispatch({ type: 'connection/lost' });
  }

  private clearTimers(): void {
    if (this.gapTimer !== null) clearTimeout(this.gapTimer);
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    this.gapTimer = null;
    this.typingTimer = null;
    this.ackTimers.forEach((timer) => clearTimeout(timer));
    this.ackTimers.clear();
  }

  // -- actions from the UI ---------------------------------------------------------------

  /** Optimistic send: shown at once as pending; on the wire now if subscribed, else queued. */
  send(draft: Draft): Outgoing {
    const outgoing: Outgoing = {
      ...draft,
      client_id: this.deps.newId(),
      room_id: this.roomId,
      status: 'queued',
      created_at: new Date(this.deps.now()).toISOString(),
      sent_at: null,
      error: null,
      attempts: 0,
    };
    this.store.dispatch({ type: 'send', outgoing });
    this.flush();
    return outgoing;
  }

  /** Sends a failed message again with the same client_id. */
  retry(clientId: string): void {
    this.store.dispatch({ type: 'retry', clientId });
    this.flush();
  }

  discard(clientId: string): void {
    this.store.dispatch({ type: 'discard', clientId });
  }

  /** `typing` frames (the composer throttles them). False when not sendable now. */
  sendTyping(isTyping: boolean): boolean {
    if (!this.store.getState().subscribed) return false;
    return this.deps.client.send({ type: 'typing', room_id: this.roomId, is_typing: isTyping });
  }

  /**
   * Edit / delete / reactions: sent at once when the room is subscribed (no optimistic change:
   * the result comes back to every subscriber, this tab included, as message_edited /
   * message_deleted / reaction_* frames). A `client_id` rides along so that a refusal (`error`
   * frame) can be told apart from other errors. False (and a notice) when not connected.
   */
  editMessage(messageId: string, content: string | Record<string, unknown>): boolean {
    return this.sendOp('edit', { type: 'edit_message', room_id: this.roomId, message_id: messageId, content });
  }

  deleteMessage(messageId: string): boolean {
    return this.sendOp('delete', { type: 'delete_message', room_id: this.roomId, message_id: messageId });
  }

  /** Adds the user's `emoji` reaction, or removes it when `add` is false. */
  react(messageId: string, emoji: string, add: boolean): boolean {
    return this.sendOp('reaction', {
      type: add ? 'add_reaction' : 'remove_reaction',
      room_id: this.roomId,
      message_id: messageId,
      emoji,
    });
  }

  dismissNotice(): void {
    this.store.dispatch({ type: 'notice', notice: null });
  }

  private sendOp(action: ChatNotice['action'], frame: MessageOperationFrame): boolean {
    const clientId = this.deps.newId();
    const sent = this.running && this.store.getState().subscribed && this.deps.client.send({ ...frame, client_id: clientId });
    if (!sent) {
      this.store.dispatch({ type: 'notice', notice: { action, code: 'offline' } });
      return false;
    }
    this.pendingOps.set(clientId, action);
    if (this.pendingOps.size > 100) this.pendingOps.delete(this.pendingOps.keys().next().value!);
    return true;
  }

  /**
   * Loads older pages until `seq` is in the loaded window (a search result deep in the history);
   * page by page so the window stays contiguous. True when it is loaded.
   */
  async loadUntil(seq: number, maxPages = 40): Promise<boolean> {
    for (let page = 0; page < maxPages && this.running; page += 1) {
      const state = this.store.getState();
      if (state.seqIndex[seq] !== undefined) return true;
      if (state.lastSeq === null || state.oldestSeq === null || state.oldestSeq <= seq || !state.hasOlder) return false;
      if (state.loadingOlder) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      await this.loadOlder();
      if (this.store.getState().oldestSeq === state.oldestSeq) return false; // failed
    }
    return this.store.getState().seqIndex[seq] !== undefined;
  }

  /** Older history above the loaded window (scrolling up). */
  async loadOlder(): Promise<void> {
    const state = this.store.getState();
    if (!state.hasOlder || state.loadingOlder || state.oldestSeq === null) return;
    this.store.dispatch({ type: 'history/status', loadingOlder: true });
    try {
      const page = await this.deps.fetchBefore(this.roomId, state.oldestSeq);
      this.store.dispatch({ type: 'history/older', messages: page.messages, hasMore: page.has_more });
    } catch {
      this.store.dispatch({ type: 'history/status', loadingOlder: false });
    }
  }

  /** First history page (and retry after it failed); then subscribes if connected. */
  async loadInitial(): Promise<void> {
    if (this.loadingInitial) return;
    this.loadingInitial = true;
    this.store.dispatch({ type: 'history/status', loadError: false });
    try {
      const page = await this.deps.fetchLatest(this.roomId);
      this.store.dispatch({ type: 'history/latest', messages: page.messages, hasMore: page.has_more });
    } catch {
      this.store.dispatch({ type: 'history/status', loadError: true });
    } finally {
      this.loadingInitial = false;
    }
    if (this.running) this.subscribeIfReady();
  }

  // -- connection ------------------------------------------------------------------------

  private onConnectionState(): void {
    if (!this.running) return;
    const state = this.deps.client.getState();
    const previous = this.lastConnection;
    this.lastConnection = state;
    if (state === 'connected') {
      // A new connection (the state left 'connected' in between) needs a new subscription.
      if (previous !== 'connected') this.subscribeSent = false;
      this.subscribeIfReady();
      return;
    }
    this.subscribeSent = false;
    this.ackTimers.forEach((timer) => clearTimeout(timer));
    this.ackTimers.clear();
    this.store.dispatch({ type: 'connection/lost' });
  }

  private subscribeIfReady(): void {
    if (!this.running || this.subscribeSent || this.deps.client.getState() !== 'connected') return;
    const state = this.store.getState();
    if (state.lastSeq === null) return; // history first: its newest message is where the replay starts
    const frame: SubscribeFrame = { type: 'subscribe', room_id: this.roomId, last_seq: state.lastSeq };
    if (state.serverTime) frame.changed_since = state.serverTime;
    this.subscribeSent = this.deps.client.send(frame);
  }

  /** Queued messages go out once the room is subscribed on this connection. */
  private flush(): void {
    const state = this.store.getState();
    if (!this.running || !state.subscribed) return;
    const sent: string[] = [];
    for (const outgoing of queuedOutgoing(state)) {
      const frame: SendMessageFrame = {
        type: 'message',
        room_id: this.roomId,
        client_id: outgoing.client_id,
        message_type: outgoing.message_type,
        content: outgoing.content,
      };
      if (outgoing.mentions.length) frame.mentions = outgoing.mentions;
      if (outgoing.file_id) frame.file_id = outgoing.file_id;
      if (!this.deps.client.send(frame)) break;
      sent.push(outgoing.client_id);
    }
    if (!sent.length) return;
    this.store.dispatch({ type: 'outgoing/sent', clientIds: sent, now: this.deps.now() });
    for (const clientId of sent) this.armAckTimer(clientId);
  }

  private armAckTimer(clientId: string): void {
    const existing = this.ackTimers.get(clientId);
    if (existing) clearTimeout(existing);
    this.ackTimers.set(
      clientId,
      setTimeout(() => {
        this.ackTimers.delete(clientId);
        if (this.deps.client.getState() === 'connected') this.store.dispatch({ type: 'outgoing/timeout', clientId });
      }, this.deps.ackTimeoutMs),
    );
  }

  // -- frames ----------------------------------------------------------------------------

  private onSubscribed(frame: SubscribedFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({ type: 'subscribed', frame });
    if (frame.has_more) void this.resync();
    else this.scheduleGapCheck();
    this.flush();
  }

  private onMessage(frame: MessageFrame): void {
    const message = frame.message;
    if (!message || message.room_id !== this.roomId) return;
    this.receive([message]);
  }

  private onSystem(frame: SystemFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({ type: 'system', frame });
    this.scheduleGapCheck();
  }

  private onAck(frame: AckFrame): void {
    const timer = this.ackTimers.get(frame.client_id);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(frame.client_id);
    this.store.dispatch({ type: 'ack', frame });
    this.scheduleGapCheck();
  }

  private onError(frame: ErrorFrame): void {
    if (!frame.client_id) return;
    const op = this.pendingOps.get(frame.client_id);
    if (op) {
      this.pendingOps.delete(frame.client_id);
      this.store.dispatch({ type: 'notice', notice: { action: op, code: frame.code || 'internal_error' } });
      return;
    }
    const timer = this.ackTimers.get(frame.client_id);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(frame.client_id);
    this.store.dispatch({ type: 'error', frame });
  }

  private onPresence(frame: PresenceFrame): void {
    if (frame.room_id !== this.roomId || !Array.isArray(frame.online)) return;
    this.store.dispatch({ type: 'presence', online: frame.online });
  }

  private onTyping(frame: TypingFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({ type: 'typing', userId: frame.user_id, isTyping: Boolean(frame.is_typing), now: this.deps.now() });
    this.scheduleTypingExpiry();
  }

  // Changes of stored messages, keyed by message_id; the newest version of a message wins.

  private onEdited(frame: MessageEditedFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({
      type: 'message/patch',
      messageId: frame.message_id,
      version: frame.version,
      changes: { content: frame.content, edited_at: frame.edited_at ?? null },
    });
  }

  private onDeleted(frame: MessageDeletedFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({
      type: 'message/patch',
      messageId: frame.message_id,
      version: frame.version,
      changes: { content: null, deleted_at: frame.deleted_at ?? new Date(this.deps.now()).toISOString() },
    });
  }

  private onReaction(frame: ReactionAddedFrame | ReactionRemovedFrame): void {
    if (frame.room_id !== this.roomId) return;
    this.store.dispatch({
      type: 'reaction',
      messageId: frame.message_id,
      emoji: frame.emoji,
      userId: frame.user_id,
      added: frame.type === 'reaction_added',
      version: frame.version,
    });
  }

  private receive(messages: ChatMessage[]): void {
    this.store.dispatch({ type: 'history/after', messages });
    this.scheduleGapCheck();
  }

  // -- gaps ------------------------------------------------------------------------------

  private scheduleGapCheck(): void {
    if (!this.running || this.gapTimer !== null || !hasGap(this.store.getState())) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (hasGap(this.store.getState())) void this.resync();
    }, this.deps.gapFillDelayMs);
  }

  /** Fetches everything after `lastSeq` until the server says there is no more. */
  private async resync(): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      for (let page = 0; page < 100 && this.running; page += 1) {
        const lastSeq = this.store.getState().lastSeq;
        if (lastSeq === null) break;
        const result = await this.deps.fetchAfter(this.roomId, lastSeq);
        this.store.dispatch({ type: 'history/after', messages: result.messages });
        const advanced = (this.store.getState().lastSeq ?? 0) > lastSeq;
        if (!result.has_more || !advanced) break;
      }
    } catch {
      // the next frame or reconnect tries again
    } finally {
      this.resyncing = false;
    }
  }

  private scheduleTypingExpiry(): void {
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    const typing = Object.values(this.store.getState().typing);
    if (!typing.length || !this.running) {
      this.typingTimer = null;
      return;
    }
    const next = Math.min(...typing);
    this.typingTimer = setTimeout(
      () => {
        this.typingTimer = null;
        this.store.dispatch({ type: 'typing/expire', now: this.deps.now() });
        this.scheduleTypingExpiry();
      },
      Math.max(0, Math.min(TYPING_TTL_MS, next - this.deps.now())) + 10,
    );
  }
}
