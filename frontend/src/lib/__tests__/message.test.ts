import { describe, expect, it } from 'vitest';
import { createMessage } from '@/lib/message';

const required = {
  message_id: 'm1',
  room_id: 'r1',
  sequence_number: 1,
  sender_id: 'wang.owner@plant.test',
  message_type: 'text',
  content: 'hi',
  created_at: '2025-11-17T09:00:00.000Z',
};

describe('createMessage', () => {
  it('fills the fields of a fresh message', () => {
    expect(createMessage(required)).toEqual({
      ...required,
      mentions: [],
      file_id: null,
      reactions: {},
      client_id: null,
      edited_at: null,
      deleted_at: null,
      updated_at: '2025-11-17T09:00:00.000Z',
      version: 1,
    });
  });

  it('keeps what it is given, null content and version 0 included', () => {
    const message = createMessage({ ...required, content: null, version: 0, file_id: 'f1', updated_at: 'u' });
    expect(message).toMatchObject({ content: null, version: 0, file_id: 'f1', updated_at: 'u' });
  });
});
