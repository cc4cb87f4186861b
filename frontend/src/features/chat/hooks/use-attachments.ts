import { createContext, useContext, type ReactNode } from 'react';

/** A completed upload sent as a chat message (the caption may be empty). */
export type FileMessage = { message_type: 'image_ref' | 'file_ref'; file_id: string; content: string };

/**
 * File support plugged into the chat by the app (the files feature owns uploads and previews;
 * features do not import each other, so the room route passes them in).
 */
export type ChatAttachments = {
  /** The body of an `image_ref` / `file_ref` message (thumbnail / file chip / "file deleted"). */
  renderFile: (ref: { fileId: string; messageType: string }) => ReactNode;
  /** Uploading (EDITOR+ in a room that is not archived). */
  upload?: {
    /** Files dropped on the chat or pasted into the composer. */
    addFiles: (files: File[]) => void;
    /** Buttons beside the composer (attach file, camera). */
    tools: ReactNode;
    /** Uploads in progress, above the composer. */
    tray: ReactNode;
    /** The chat hands over its send while mounted; returns the disconnect. */
    connect: (send: (message: FileMessage) => void) => () => void;
  };
};

export const ChatAttachmentsContext = createContext<ChatAttachments | null>(null);

export function useChatAttachments(): ChatAttachments | null {
  return useContext(ChatAttachmentsContext);
}
