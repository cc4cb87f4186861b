import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { dragHasFiles, filesFromTransfer } from '@/lib/file-transfer';

type Props = {
  /** Files dropped here. Without it the zone is inert (no overlay, drops ignored). */
  onFiles?: ((files: File[]) => void) | undefined;
  /** Text of the overlay shown while files are dragged over ("放開以上傳檔案"). */
  label: ReactNode;
  className?: string;
  children: ReactNode;
};

/**
 * A drop target for files with a visible overlay while files are dragged over it. Text or
 * elements dragged within the page do not trigger it. Keyboard and touch users have the file
 * buttons; this is the mouse shortcut.
 */
export function FileDropZone({ onFiles, label, className, children }: Props) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const enabled = Boolean(onFiles);

  function onDragEnter(event: DragEvent<HTMLDivElement>) {
    if (!enabled || !dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    depth.current += 1;
    setOver(true);
  }
  function onDragOver(event: DragEvent<HTMLDivElement>) {
    if (!enabled || !dragHasFiles(event.dataTransfer)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    if (!over) setOver(true);
  }
  function onDragLeave(event: DragEvent<HTMLDivElement>) {
    if (!enabled || !over) return;
    event.preventDefault();
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  }
  function onDrop(event: DragEvent<HTMLDivElement>) {
    if (!enabled) return;
    const files = filesFromTransfer(event.dataTransfer);
    depth.current = 0;
    setOver(false);
    if (!files.length) return;
    event.preventDefault();
    onFiles?.(files);
  }

  return (
    <div
      className={`drop-zone${over ? ' drop-zone-over' : ''}${className ? ` ${className}` : ''}`}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      {children}
      {over ? (
        <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
          <p>{label}</p>
        </div>
      ) : null}
    </div>
  );
}
