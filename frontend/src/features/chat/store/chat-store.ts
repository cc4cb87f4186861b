import { chatReducer, initialChatState, type ChatAction, type ChatState } from '@/features/chat/store/chat-reducer';

/** The reducer behind a tiny external store (for `useSyncExternalStore`), one per room and user. */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();

  constructor(roomId: string, selfId: string) {
    this.state = initialChatState(roomId, selfId);
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  dispatch = (action: ChatAction): void => {
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((listener) => listener());
  };
}

/**
 * Stores outlive the chat page, so a queued message or the loaded history survives a visit to
 * the members tab; coming back resumes with `last_seq` / `changed_since` like a reconnect.
 */
const stores = new Map<string, ChatStore>();

export function getChatStore(roomId: string, selfId: string): ChatStore {
  const key = `${selfId}\n${roomId}`;
  let store = stores.get(key);
  if (!store) {
    store = new ChatStore(roomId, selfId);
    stores.set(key, store);
  }
  return store;
}

/** Forgets every room's chat (tests; a different user signing in gets their own stores anyway). */
export function resetChatStores(): void {
  stores.clear();
}
