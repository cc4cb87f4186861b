import { createContext, useContext, useEffect, useState } from 'react';

/** Own messages can be edited this long after `created_at` (the server enforces it too). */
export const EDIT_WINDOW_MS = 15 * 60_000;

/** The quick reactions offered by the picker (one emoji per reaction, as the server requires). */
export const QUICK_REACTIONS = [
  { emoji: '👍', key: 'thumbsUp' },
  { emoji: '❤️', key: 'heart' },
  { emoji: '😮', key: 'surprised' },
  { emoji: '✅', key: 'done' },
  { emoji: '⚠️', key: 'warning' },
  { emoji: '🔧', key: 'fixing' },
  { emoji: '🙏', key: 'thanks' },
] as const;

/**
 * What a message row may do and how, provided once by the chat room (so the virtual list and
 * its rows need no extra props): the user's permissions, names for user ids, and the actions
 * that go out as WebSocket frames through the room's controller.
 */
export type MessageOps = {
  roomId: string;
  selfId: string;
  /** EDITOR / OWNER in a room that is not archived: react, edit own, delete own. */
  canWrite: boolean;
  /** Room OWNER (administrators get OWNER): delete anyone's message. */
  canModerate: boolean;
  nameOf: (userId: string) => string;
  /** The message a search result pointed at (highlighted). */
  focusedId: string | null;
  react: (messageId: string, emoji: string, add: boolean) => void;
  edit: (messageId: string, content: string) => boolean;
  remove: (messageId: string) => void;
};

export const MessageOpsContext = createContext<MessageOps | null>(null);

/** The room's message actions, or null outside a chat room (nothing is offered then). */
export function useMessageOps(): MessageOps | null {
  return useContext(MessageOpsContext);
}

/**
 * True while `createdAt` is less than 15 minutes ago; turns false by itself when the window
 * passes (one timer per mounted own message, none for the others).
 */
export function useEditWindow(createdAt: string, enabled: boolean): boolean {
  const deadline = Date.parse(createdAt) + EDIT_WINDOW_MS;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled || Number.isNaN(deadline)) return undefined;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const timer = setTimeout(() => setNow(Date.now()), 0);
      return () => clearTimeout(timer);
    }
    const timer = setTimeout(() => setNow(Date.now()), remaining + 20);
    return () => clearTimeout(timer);
  }, [deadline, enabled]);
  return enabled && !Number.isNaN(deadline) && now < deadline;
}
