import { createMessage } from '@/lib/message';
import type { ChatMessage, Outgoing } from '@/features/chat/types';

export const ROOM = '00000000-0000-4000-8000-000000000001';
export const ME = 'chen.editor@plant.test';
export const WANG = 'wang.owner@plant.test';

export function msg(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  const at = new Date(Date.UTC(2025, 10, 17, 9, 0, 0) + seq * 60_000).toISOString();
  return createMessage({
    message_id: `m${seq}`,
    room_id: ROOM,
    sequence_number: seq,
    sender_id: WANG,
    message_type: 'text',
    content: `message ${seq}`,
    created_at: at,
    updated_at: at,
    ...overrides,
  });
}

export function outgoing(clientId: string, overrides: Partial<Outgoing> = {}): Outgoing {
  return {
    client_id: clientId,
    room_id: ROOM,
    message_type: 'text',
    content: `text of ${clientId}`,
    mentions: [],
    status: 'queued',
    created_at: '2025-11-17T10:00:00.000Z',
    sent_at: null,
    error: null,
    attempts: 0,
    ...overrides,
  };
}
