import type { SendableMessageType, WireMessage } from '@/lib/message';

/** A message as the chat shows it; `version` decides which copy of a message wins. */
export type ChatMessage = WireMessage;

export type OutgoingType = SendableMessageType;

/** What the composer hands to the store. */
export type Draft = {
  message_type: OutgoingType;
  content: string | Record<string, unknown>;
  mentions: string[];
  /** The uploaded file of an `image_ref` / `file_ref` message. */
  file_id?: string | null;
};

/**
 * A message the user sent that the server has not confirmed yet, keyed by its `client_id`
 * (the idempotency key: a resend with the same id never makes a second message).
 * - `queued`: not on the wire yet (offline / not subscribed); goes out after the next subscribe.
 * - `sending`: sent, waiting for the `ack` (or the `message` frame carrying this client_id).
 * - `failed`: an `error` frame named this client_id, or no ack came in time; retry resends it.
 */
export type Outgoing = Draft & {
  client_id: string;
  room_id: string;
  status: 'queued' | 'sending' | 'failed';
  /** Local creation time (ISO), for display and ordering among pending messages. */
  created_at: string;
  /** When it last went on the wire (ms since epoch). */
  sent_at: number | null;
  /** `error` frame code, or `timeout`. */
  error: string | null;
  attempts: number;
};

/** A room member as the chat needs it (display name for sender_id / mentions). */
export type ChatMember = { user_id: string; display_name: string; online?: boolean };
