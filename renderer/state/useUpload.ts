// The browser host's upload of dropped files: progress while the files stream to the host, then
// the folder opens (and is collected, with its own progress line) like any other.
import { useCallback, useState } from 'react';
import { type DroppedFile, type UploadProgress, uploadDropped } from '../api/upload.ts';
import type { Session } from './session.ts';

export function useUpload(session: Session, onMessage: (m: string) => void) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useCallback(
    async (files: readonly DroppedFile[]) => {
      try {
        const { folder, skipped } = await uploadDropped(session.api, files, setProgress);
        setProgress(null);
        await session.openPath(folder);
        // Said once the store shows: a message belongs to the store it is about.
        if (skipped.length)
          session.say(
            `Left out ${skipped.length} file(s) Losslens does not read: ${skipped.slice(0, 5).join(', ')}`,
          );
      } catch (e) {
        setProgress(null);
        onMessage(e instanceof Error ? e.message : String(e));
      }
    },
    [session, onMessage],
  );
  return { progress, upload };
}
