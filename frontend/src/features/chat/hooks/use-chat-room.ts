import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { getRealtimeClient } from '@/lib/socket/client';
import { getMessagesAfter, getMessagesBefore } from '@/features/chat/api/get-messages';
import { ChatController, type ChatControllerDeps } from '@/features/chat/store/chat-controller';
import type { ChatState } from '@/features/chat/store/chat-reducer';
import { getChatStore } from '@/features/chat/store/chat-store';

export function defaultControllerDeps(): ChatControllerDeps {
  return {
    client: getRealtimeClient(),
    fetchLatest: (roomId) => getMessagesBefore(roomId, null),
    fetchBefore: (roomId, before) => getMessagesBefore(roomId, before),
    fetchAfter: (roomId, afterSeq) => getMessagesAfter(roomId, afterSeq),
  };
}

/** The room's chat state and its controller, live while the calling component is mounted. */
export function useChatRoom(roomId: string, selfId: string): { state: ChatState; controller: ChatController } {
  const store = useMemo(() => getChatStore(roomId, selfId), [roomId, selfId]);
  const controller = useMemo(() => new ChatController(store, defaultControllerDeps()), [store]);
  useEffect(() => {
    controller.start();
    return () => controller.stop();
  }, [controller]);
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return { state, controller };
}
