/**
 * The WebSocket protocol's frames (specs/realtime-messaging.md, "Client → server" and
 * "Server → client"): JSON objects told apart by `type`.
 */
import type { SendableMessageType, WireMessage } from '@/lib/message';

// ---------------------------------------------------------------------------------------
// Server → client

export type SystemEvent =
  | 'member_added'
  | 'member_removed'
  | 'room_status_changed'
  | 'role_changed'
  | 'room_updated'
  | 'file_deleted'
  | 'user_joined'
  | 'user_left'
  | 'room_acknowledged'
  | 'escalated';

/** A room event; persisted ones also carry their place in the history (`message_id`, `sequence_number`). */
export type SystemFrame = {
  type: 'system';
  event: SystemEvent | (string & {});
  room_id: string;
  user_id: string;
  timestamp: string;
  [key: string]: unknown;
};
export type PongFrame = { type: 'pong' };
/** A refused or bad frame; `client_id` names the frame it answers, when that frame had one. */
export type ErrorFrame = { type: 'error'; code: string; message: string; client_id?: string };
export type PresenceFrame = { type: 'presence'; room_id: string; online: string[] };
export type SubscribedFrame = {
  type: 'subscribed';
  room_id: string;
  online: string[];
  last_seq: number;
  server_time: string;
  has_more?: boolean;
};
export type UnsubscribedFrame = { type: 'unsubscribed'; room_id: string };
export type MessageFrame = { type: 'message'; message: WireMessage; replay?: boolean };
export type AckFrame = {
  type: 'ack';
  client_id: string;
  message_id: string;
  sequence_number: number;
  created_at: string;
};
export type TypingFrame = { type: 'typing'; room_id: string; user_id: string; is_typing: boolean };
export type MentionFrame = {
  type: 'mention';
  room_id: string;
  message: WireMessage;
  room_title?: string;
  sender_name?: string;
};

/** What the inbox stores (GET /api/notifications) and the `notification` frame carries. */
export const NOTIFICATION_KINDS = ['mention', 'escalation', 'added_to_room', 'room_acknowledged', 'room_resolved'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationPayload = {
  notification_id: string;
  kind: NotificationKind | (string & {});
  room_id: string;
  room_title: string;
  text: string;
  created_at: string;
  read_at: string | null;
};
/** A new inbox entry, pushed to every open connection of its user. */
export type NotificationFrame = { type: 'notification'; notification: NotificationPayload };

/** What every change of a stored message carries; the newest `version` of a message wins. */
type MessageChange = { room_id: string; message_id: string; version?: number; updated_at?: string };
export type MessageEditedFrame = MessageChange & {
  type: 'message_edited';
  content: string | Record<string, unknown>;
  edited_at: string;
};
export type MessageDeletedFrame = MessageChange & { type: 'message_deleted'; deleted_at: string };
/** One user's reaction; `count` is how many users now have that emoji on the message. */
type ReactionChange = MessageChange & { emoji: string; user_id: string; count: number };
export type ReactionAddedFrame = ReactionChange & { type: 'reaction_added' };
export type ReactionRemovedFrame = ReactionChange & { type: 'reaction_removed' };

/** The frames the server sends, a union discriminated by `type`. */
export type ServerFrame =
  | SubscribedFrame
  | UnsubscribedFrame
  | MessageFrame
  | AckFrame
  | MessageEditedFrame
  | MessageDeletedFrame
  | ReactionAddedFrame
  | ReactionRemovedFrame
  | TypingFrame
  | PresenceFrame
  | SystemFrame
  | MentionFrame
  | NotificationFrame
  | PongFrame
  | ErrorFrame;
export type ServerFrameType = ServerFrame['type'];

/** A frame of a type this client does not know (a newer server): passed on, never dropped. */
export type UnknownFrame = { type: string; [key: string]: unknown };
/** Whatever arrives on the socket: a known frame or an unknown one. */
export type IncomingFrame = ServerFrame | UnknownFrame;
/** The frame of `type`: its own shape for a known type, `UnknownFrame` otherwise. */
export type FrameOf<T extends string> = T extends ServerFrameType ? Extract<ServerFrame, { type: T }> : UnknownFrame;

/** A socket message as a frame: a JSON object with a string `type`; null for anything else. */
export function parseFrame(data: unknown): IncomingFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      return value as IncomingFrame;
    }
  } catch {
    // not JSON: ignore
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Client → server

/** Start receiving a room; the server replays what came (or changed) after `last_seq` / `changed_since`. */
export type SubscribeFrame = { type: 'subscribe'; room_id: string; last_seq?: number; changed_since?: string };
export type UnsubscribeFrame = { type: 'unsubscribe'; room_id: string };
/** A new message; `client_id` is its idempotency key (a resend gets the original `ack`). */
export type SendMessageFrame = {
  type: 'message';
  room_id: string;
  client_id: string;
  message_type: SendableMessageType;
  content: string | Record<string, unknown>;
  mentions?: string[];
  file_id?: string;
};
/**
 * Edits, deletions and reactions. The `client_id` is not part of the contract: the server
 * echoes it in an `error` frame, so that a refusal can be told apart from other errors.
 */
type MessageOperation = { room_id: string; message_id: string; client_id?: string };
export type EditMessageFrame = MessageOperation & { type: 'edit_message'; content: string | Record<string, unknown> };
export type DeleteMessageFrame = MessageOperation & { type: 'delete_message' };
export type AddReactionFrame = MessageOperation & { type: 'add_reaction'; emoji: string };
export type RemoveReactionFrame = MessageOperation & { type: 'remove_reaction'; emoji: string };
export type MessageOperationFrame = EditMessageFrame | DeleteMessageFrame | AddReactionFrame | RemoveReactionFrame;
export type SendTypingFrame = { type: 'typing'; room_id: string; is_typing: boolean };
export type PingFrame = { type: 'ping' };

/** The frames the client sends, a union discriminated by `type`. */
export type ClientFrame =
  | SubscribeFrame
  | UnsubscribeFrame
  | SendMessageFrame
  | MessageOperationFrame
  | SendTypingFrame
  | PingFrame;
