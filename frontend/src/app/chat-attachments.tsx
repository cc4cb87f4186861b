import { useMemo } from 'react';
import type { ChatAttachments } from '@/features/chat/hooks/use-attachments';
import { FilePickerButtons } from '@/features/files/components/file-picker-buttons';
import { MessageFile } from '@/features/files/components/message-file';
import { UploadTray } from '@/features/files/components/upload-tray';
import { getUploadQueue } from '@/features/files/hooks/upload-queue';

/**
 * The files feature plugged into the chat: previews in image_ref / file_ref messages for
 * everyone, and for EDITOR+ the upload tray, the attach / camera buttons, drop and paste; a
 * completed file goes out as an image_ref (images) or file_ref (documents) message.
 */
export function useChatAttachments(roomId: string, canUpload: boolean): ChatAttachments {
  return useMemo(() => {
    const queue = getUploadQueue(roomId, 'chat');
    const addFiles = (files: File[]) => void queue.add(files);
    return {
      renderFile: ({ fileId, messageType }) => <MessageFile roomId={roomId} fileId={fileId} messageType={messageType} />,
      upload: canUpload
        ? {
            addFiles,
            tools: <FilePickerButtons onFiles={addFiles} />,
            tray: <UploadTray queue={queue} mode="chat" />,
            connect: (send) => {
              queue.setSender((file, caption) =>
                send({ message_type: file.kind === 'image' ? 'image_ref' : 'file_ref', file_id: file.file_id, content: caption }),
              );
              return () => queue.setSender(null);
            },
          }
        : undefined,
    };
  }, [roomId, canUpload]);
}
