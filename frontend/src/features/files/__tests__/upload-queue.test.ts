import { waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UploadQueue } from '@/features/files/hooks/upload-queue';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
import { BUCKET_URL, filesDb } from '@/testing/mocks/files';
import { FakeXhr } from '@/testing/fake-xhr';
import { loginAs } from '@/testing/test-utils';

function png(name = '回焊爐溫度.png', size = 2000): File {
  return new File([new Uint8Array(size)], name, { type: 'image/png' });
}

let roomId = '';

beforeEach(() => {
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  const room = makeRoom();
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER');
  addMember(room, 'chen.editor', 'EDITOR');
  roomId = room.room_id;
  loginAs('chen.editor');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('UploadQueue', () => {
  it('requests a presigned POST, uploads fields first and the file last with progress, completes', async () => {
    const queue = new UploadQueue(roomId);
    const [item] = queue.add([png()]);
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    expect(filesDb.requests[0]).toMatchObject({ body: { filename: '回焊爐溫度.png', content_type: 'image/png', size: 2000 } });
    const xhr = FakeXhr.last()!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(BUCKET_URL);
    expect(xhr.fieldNames()).toEqual(['key', 'policy', 'file']);
    xhr.progress(500, 2000);
    expect(queue.getItems()[0]).toMatchObject({ status: 'uploading', loaded: 500, total: 2000 });
    xhr.respond(204);
    await waitFor(() => expect(queue.getItems()[0]!.status).toBe('ready'));
    expect(queue.getItems()[0]!.file).toMatchObject({ filename: '回焊爐溫度.png', kind: 'image' });
    expect(filesDb.requests.map((r) => r.path)).toContain(`/api/rooms/${roomId}/files/${queue.getItems()[0]!.file!.file_id}/complete`);
    expect(item!.id).toBe(queue.getItems()[0]!.id);
  });

  it('sends a ready file through the registered sender with its caption, or as soon as it is ready', async () => {
    FakeXhr.autoRespond = true;
    const queue = new UploadQueue(roomId);
    const sent: Array<[string, string]> = [];
    queue.setSender((file, caption) => sent.push([file.file_id, caption]));
    const [item] = queue.add([png()]);
    queue.setCaption(item!.id, '  3 號爐  ');
    queue.send(item!.id); // still uploading: remembered
    expect(sent).toEqual([]);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]![1]).toBe('3 號爐');
    expect(queue.getItems()).toEqual([]);
  });

  it('waits for a sender (the chat) before sending a ready file', async () => {
    FakeXhr.autoRespond = true;
    const queue = new UploadQueue(roomId);
    const [item] = queue.add([png()]);
    queue.send(item!.id);
    await waitFor(() => expect(queue.getItems()[0]!.status).toBe('ready'));
    const sender = vi.fn();
    queue.setSender(sender);
    expect(sender).toHaveBeenCalledTimes(1);
    expect(queue.getItems()).toEqual([]);
  });

  it('cancel aborts the upload and forgets the file; nothing is completed', async () => {
    const queue = new UploadQueue(roomId);
    const [item] = queue.add([png()]);
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    queue.cancel(item!.id);
    expect(FakeXhr.last()!.aborted).toBe(true);
    expect(queue.getItems()).toEqual([]);
    expect(filesDb.requests.some((r) => r.path.endsWith('/complete'))).toBe(false);
  });

  it('refuses too large and wrong files before asking the server', () => {
    const queue = new UploadQueue(roomId);
    queue.add([
      new File([new Uint8Array(10)], 'virus.exe', { type: 'application/octet-stream' }),
      Object.defineProperty(png('big.png', 10), 'size', { value: 21 * 1024 * 1024 }),
    ]);
    expect(queue.getItems().map((i) => [i.status, i.error?.code])).toEqual([
      ['failed', 'wrong_type'],
      ['failed', 'too_large'],
    ]);
    expect(filesDb.requests).toEqual([]);
  });

  it('keeps the server refusal (bytes not matching the type) and retries network failures', async () => {
    const queue = new UploadQueue(roomId);
    queue.add([png()]);
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    FakeXhr.last()!.fail();
    await waitFor(() => expect(queue.getItems()[0]!.status).toBe('failed'));
    expect(queue.getItems()[0]!.error?.code).toBe('network_error');
    queue.retry(queue.getItems()[0]!.id);
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(2));
    const pending = filesDb.files.at(-1)!;
    pending.reject = "The file's content is not image/png";
    FakeXhr.last()!.respond(204);
    await waitFor(() => expect(queue.getItems()[0]!.status).toBe('failed'));
    expect(queue.getItems()[0]!.error).toMatchObject({ code: 'validation_error', message: "The file's content is not image/png" });
  });

  it('reports the bucket refusing the upload', async () => {
    const queue = new UploadQueue(roomId);
    queue.add([png()]);
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    FakeXhr.last()!.respond(400, '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>');
    await waitFor(() => expect(queue.getItems()[0]!.status).toBe('failed'));
    expect(queue.getItems()[0]!.error).toMatchObject({ code: 'too_large' });
  });
});
