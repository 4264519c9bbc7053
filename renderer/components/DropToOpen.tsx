// Drop a folder (a store or job output) anywhere on the window to open it. The desktop app turns
// a dropped folder into its path (Electron's webUtils via the preload bridge); a browser never
// reveals paths, so there the dropped files are uploaded to the host (`onFiles`) and opened.
import { type DragEvent, type ReactNode, useState } from 'react';
import { type DroppedFile, droppedFiles } from '../api/upload.ts';

function droppedPath(file: File): string | null {
  const path = window.losslens?.pathForFile(file) ?? '';
  return path === '' ? null : path;
}

export function DropToOpen({
  onOpen,
  onFiles,
  onMessage,
  children,
}: {
  onOpen: (path: string) => Promise<void>;
  /** Files dropped where no path can be known (the browser host): upload and open them. */
  onFiles: (files: DroppedFile[]) => Promise<void>;
  onMessage: (message: string) => void;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    const path = file ? droppedPath(file) : null;
    if (!path) {
      droppedFiles(e.dataTransfer)
        .then(onFiles)
        .catch((err: unknown) => onMessage(err instanceof Error ? err.message : String(err)));
      return;
    }
    onOpen(path).catch((err: unknown) => onMessage(err instanceof Error ? err.message : String(err)));
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for files, not a control; the same action is reachable by keyboard through the path box and Browse…
    <div
      className={over ? 'drop-target over' : 'drop-target'}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={onDrop}
    >
      {children}
      {over ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop a job folder or loss store to open it
        </div>
      ) : null}
    </div>
  );
}
