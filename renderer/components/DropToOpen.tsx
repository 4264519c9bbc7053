// Drop a store folder anywhere on the window to open it. Only the desktop app can turn a dropped
// folder into a path (Electron's webUtils via the preload bridge); a browser never reveals paths,
// so there the drop explains how to open a store instead.
import { type DragEvent, type ReactNode, useState } from 'react';

function droppedPath(file: File): string | null {
  const path = window.losslens?.pathForFile(file) ?? '';
  return path === '' ? null : path;
}

export function DropToOpen({
  onOpen,
  onMessage,
  children,
}: {
  onOpen: (path: string) => Promise<void>;
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
      onMessage('Dropping a folder opens it in the desktop app; here, type the store path at the top right.');
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
          Drop a loss store folder to open it
        </div>
      ) : null}
    </div>
  );
}
