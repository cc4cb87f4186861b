/**
 * The chat message record as REST and WebSocket carry it (specs/realtime-messaging.md,
 * "Message record"), and the one factory that builds one on the client.
 */

/** A stored chat message as REST and WebSocket carry it. */
export type WireMessage = {
  message_id: string;
  room_id: string;
  sequence_number: number;
  sender_id: string;
  message_type: 'text' | 'incident_data' | 'image_ref' | 'file_ref' | 'system' | (string & {});
  /** Text, an object for incident_data / system, null once deleted. */
  content: string | Record<string, unknown> | null;
  mentions: string[];
  file_id: string | null;
  reactions: Record<string, string[]>;
  client_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  updated_at: string;
  version: number;
};

/** The message types a client may send (`system` messages are the server's). */
export type SendableMessageType = 'text' | 'incident_data' | 'image_ref' | 'file_ref';

/** What every message must be given; the rest has the defaults of a fresh message. */
export type MessageInit = Pick<
  WireMessage,
  'message_id' | 'room_id' | 'sequence_number' | 'sender_id' | 'message_type' | 'content' | 'created_at'
> &
  Partial<WireMessage>;

/**
 * A message record. Unless given: no mentions, file, reactions or client_id, never edited or
 * deleted, `updated_at` = `created_at`, version 1.
 */
export function createMessage(init: MessageInit): WireMessage {
  return {
    message_id: init.message_id,
    room_id: init.room_id,
    sequence_number: init.sequence_number,
    sender_id: init.sender_id,
    message_type: init.message_type,
    content: init.content,
    mentions: init.mentions ?? [],
    file_id: init.file_id ?? null,
    reactions: init.reactions ?? {},
    client_id: init.client_id ?? null,
    created_at: init.created_at,
    edited_at: init.edited_at ?? null,
    deleted_at: init.deleted_at ?? null,
    updated_at: init.updated_at ?? init.created_at,
    version: init.version ?? 1,
  };
}
