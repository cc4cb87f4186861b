import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addMember, addMessages, db, makeMessage, makeRoom, users } from '@/testing/mocks/db';
import { addFile, filesDb } from '@/testing/mocks/files';
import { FakeXhr } from '@/testing/fake-xhr';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';
import type { FakeWebSocket } from '@/testing/fake-websocket';

const CHEN = users['chen.editor']!.user_id;
const WANG = users['wang.owner']!.user_id;

function roomWith(role: 'OWNER' | 'EDITOR' | 'VIEWER') {
  const room = makeRoom({ title: '回焊爐溫度異常' });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER', true);
  addMember(room, 'chen.editor', role, true);
  return room;
}

function png(name = '回焊爐溫度.png', size = 2048): File {
  return new File([new Uint8Array(size)], name, { type: 'image/png' });
}

async function openChat(role: 'OWNER' | 'EDITOR' | 'VIEWER' = 'EDITOR') {
  const room = roomWith(role);
  const view = renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
  const socket = await openAppSocket();
  await waitFor(() => expect(socket.sentFrames.some((f) => f.type === 'subscribe')).toBe(true));
  serverSends(socket, { type: 'subscribed', room_id: room.room_id, online: [CHEN], last_seq: 0, server_time: 't', has_more: false });
  return { room, socket, ...view };
}

function messageFrames(socket: FakeWebSocket) {
  return socket.sentFrames.filter((f) => f.type === 'message');
}

beforeEach(() => {
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('uploading from the chat', () => {
  it('drops files on the chat: overlay, progress per file, then sends an image_ref with the caption', async () => {
    const { socket, room, user } = await openChat();
    const zone = screen.getAllByTestId('drop-zone')[0]!;
    const file = png();
    fireEvent.dragEnter(zone, { dataTransfer: { types: ['Files'], files: [] } });
    expect(screen.getByTestId('drop-overlay')).toHaveTextContent('放開以上傳檔案');
    fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(screen.queryByTestId('drop-overlay')).not.toBeInTheDocument();

    const item = await screen.findByTestId('upload-item');
    expect(item).toHaveTextContent('回焊爐溫度.png');
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    act(() => FakeXhr.last()!.progress(1024, 2048));
    const bar = within(item).getByRole('progressbar', { name: '回焊爐溫度.png 上傳進度' });
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    expect(item).toHaveTextContent('上傳中 50%');

    await user.type(within(item).getByRole('textbox', { name: '回焊爐溫度.png 的說明' }), '3 號爐溫度曲線');
    await user.click(within(item).getByRole('button', { name: '傳送 回焊爐溫度.png' }));
    expect(within(item).getByRole('button', { name: '傳送 回焊爐溫度.png' })).toHaveTextContent('上傳完成後傳送');
    expect(messageFrames(socket)).toEqual([]);

    act(() => FakeXhr.last()!.respond(204));
    await waitFor(() => expect(messageFrames(socket)).toHaveLength(1));
    const fileId = filesDb.files.at(-1)!.file_id;
    expect(messageFrames(socket)[0]).toMatchObject({
      room_id: room.room_id,
      message_type: 'image_ref',
      file_id: fileId,
      content: '3 號爐溫度曲線',
    });
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
    // the pending message already shows the picture
    const pending = await screen.findByTestId('message-file');
    expect(pending).toHaveAttribute('data-file-id', fileId);
    expect(await within(pending).findByRole('button', { name: '開啟圖片 回焊爐溫度.png' })).toBeInTheDocument();
  });

  it('sends a document as file_ref, with an empty caption allowed', async () => {
    FakeXhr.autoRespond = true;
    const { socket, user } = await openChat();
    await user.upload(screen.getByTestId('file-input'), new File(['a,b\n1,2'], '溫度紀錄.csv', { type: 'text/csv' }));
    const item = await screen.findByTestId('upload-item');
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'ready'));
    expect(item).toHaveTextContent('已上傳，可傳送');
    await user.click(within(item).getByRole('button', { name: '傳送 溫度紀錄.csv' }));
    await waitFor(() => expect(messageFrames(socket)).toHaveLength(1));
    expect(messageFrames(socket)[0]).toMatchObject({ message_type: 'file_ref', content: '', file_id: filesDb.files.at(-1)!.file_id });
  });

  it('several files at once: one progress bar each, "send all"', async () => {
    FakeXhr.autoRespond = true;
    const { socket, user } = await openChat();
    await user.upload(screen.getByTestId('file-input'), [png('a.png'), png('b.png')]);
    await waitFor(() => expect(screen.getAllByTestId('upload-item').map((i) => i.dataset.status)).toEqual(['ready', 'ready']));
    expect(screen.getAllByRole('progressbar')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: '全部傳送（2 個）' }));
    await waitFor(() => expect(messageFrames(socket)).toHaveLength(2));
    expect(messageFrames(socket).map((f) => f.message_type)).toEqual(['image_ref', 'image_ref']);
  });

  it('pastes an image into the composer', async () => {
    await openChat();
    const box = await screen.findByRole('textbox', { name: '訊息' });
    const shot = new File([new Uint8Array(100)], 'image.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { types: ['Files'], files: [shot], getData: () => '' } });
    const item = await screen.findByTestId('upload-item');
    expect(item).toHaveTextContent(/paste-\d{8}-\d{6}\.png/);
    await waitFor(() => expect(filesDb.requests[0]).toMatchObject({ body: { content_type: 'image/png', size: 100 } }));
  });

  it('pasting text stays text', async () => {
    await openChat();
    const box = await screen.findByRole('textbox', { name: '訊息' });
    fireEvent.paste(box, { clipboardData: { types: ['text/plain', 'Files'], files: [png()], getData: () => 'A1 B1' } });
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
  });

  it('explains too large and wrong types without asking the server', async () => {
    const { user } = await openChat();
    await screen.findByRole('button', { name: '附加檔案' });
    const big = Object.defineProperty(png('大圖.png', 10), 'size', { value: 25 * 1024 * 1024 });
    const exe = new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' });
    // (the picker's accept list would hide the .exe; a drop or an old browser does not)
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [big, exe] } });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      '檔案太大：圖片最大 20 MB。',
      expect.stringContaining('不支援此檔案類型'),
    ]);
    expect(filesDb.requests).toEqual([]);
    await user.click(screen.getByRole('button', { name: '移除 大圖.png' }));
    expect(screen.getAllByTestId('upload-item')).toHaveLength(1);
  });

  it('shows the server refusal (content not matching the type)', async () => {
    const { user } = await openChat();
    await user.upload(screen.getByTestId('file-input'), png('fake.png'));
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    filesDb.files.at(-1)!.reject = "The file's content is not image/png";
    act(() => FakeXhr.last()!.respond(204));
    expect(await screen.findByRole('alert')).toHaveTextContent("伺服器拒絕了此檔案：The file's content is not image/png");
  });

  it('cancel aborts the upload', async () => {
    const { user, socket } = await openChat();
    await user.upload(screen.getByTestId('file-input'), png());
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    await user.click(screen.getByRole('button', { name: '取消上傳 回焊爐溫度.png' }));
    expect(FakeXhr.last()!.aborted).toBe(true);
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
    expect(messageFrames(socket)).toEqual([]);
  });

  it('a VIEWER has no upload buttons and drops do nothing', async () => {
    await openChat('VIEWER');
    await screen.findByRole('note');
    expect(screen.queryByRole('button', { name: '附加檔案' })).not.toBeInTheDocument();
    fireEvent.drop(screen.getAllByTestId('drop-zone')[0]!, { dataTransfer: { types: ['Files'], files: [png()] } });
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
  });

  it('offers the camera on touch devices', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(pointer: coarse)', addEventListener() {}, removeEventListener() {} }));
    await openChat();
    expect(await screen.findByRole('button', { name: '拍照' })).toBeInTheDocument();
    expect(screen.getByTestId('camera-input')).toHaveAttribute('capture', 'environment');
  });
});

describe('files in messages', () => {
  it('image_ref: thumbnail in a fixed box, opens the viewer with the full image and a download link', async () => {
    const room = roomWith('EDITOR');
    const file = addFile(room.room_id, { filename: '回焊爐溫度.png' });
    addMessages(room.room_id, makeMessage(room.room_id, { message_type: 'image_ref', file_id: file.file_id, content: '請看' }));
    const { user } = renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const open = await screen.findByRole('button', { name: '開啟圖片 回焊爐溫度.png' });
    const thumb = within(open).getByRole('img');
    expect(thumb).toHaveAttribute('src', expect.stringContaining('thumb.webp'));
    expect(thumb).toHaveAttribute('loading', 'lazy');
    expect(open).toHaveClass('file-thumb');
    expect(screen.getByText('請看')).toBeInTheDocument();

    await user.click(open);
    const dialog = await screen.findByRole('dialog', { name: '回焊爐溫度.png' });
    expect(within(dialog).getByTestId('viewer-image')).toHaveAttribute('src', expect.stringContaining('sig=dl'));
    const download = within(dialog).getByRole('link', { name: '下載' });
    expect(download).toHaveAttribute('href', expect.stringContaining(encodeURIComponent('回焊爐溫度.png')));
    expect(download).toHaveAttribute('download', '回焊爐溫度.png');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('file_ref: a chip with icon, name, size and download', async () => {
    const room = roomWith('VIEWER');
    const file = addFile(room.room_id, { kind: 'document', content_type: 'application/pdf', filename: 'SOP 回焊爐.pdf', size: 1536 * 1024 });
    addMessages(room.room_id, makeMessage(room.room_id, { message_type: 'file_ref', file_id: file.file_id, content: '' }));
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const chip = await screen.findByTestId('file-chip');
    await waitFor(() => expect(screen.getByTestId('virtuoso-item-list').style.visibility).not.toBe('hidden'));
    expect(chip).toHaveTextContent('SOP 回焊爐.pdf');
    expect(chip).toHaveTextContent('1.5 MB');
    expect(chip).toHaveTextContent('PDF');
    expect(within(chip).getByRole('link', { name: '下載 SOP 回焊爐.pdf' })).toHaveAttribute('href', expect.stringContaining('sig=dl'));
  });

  it('a deleted or unknown file shows a placeholder', async () => {
    const room = roomWith('EDITOR');
    const file = addFile(room.room_id, { status: 'deleted' });
    addMessages(room.room_id, makeMessage(room.room_id, { message_type: 'image_ref', file_id: file.file_id, content: '' }));
    addMessages(room.room_id, makeMessage(room.room_id, { message_type: 'file_ref', file_id: '00000000-0000-4000-9000-999999999999', content: '' }));
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    await waitFor(() => expect(screen.getAllByTestId('file-deleted')).toHaveLength(2));
    expect(screen.getAllByTestId('file-deleted')[0]).toHaveTextContent('檔案已刪除');
  });

  it('a live image_ref from someone else appears with its thumbnail', async () => {
    const { room, socket } = await openChat();
    const file = addFile(room.room_id, { filename: '現場.jpg', content_type: 'image/jpeg' });
    serverSends(socket, {
      type: 'message',
      message: makeMessage(room.room_id, { sequence_number: 1, sender_id: WANG, message_type: 'image_ref', file_id: file.file_id, content: '' }),
    });
    expect(await screen.findByRole('button', { name: '開啟圖片 現場.jpg' })).toBeInTheDocument();
  });
});
