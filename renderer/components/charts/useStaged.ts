// How many of a view's charts to draw now: the first row at once, the rest a frame later, so the
// charts a modeler sees first are not held back by those below the fold (the Parameters tab draws
// 14 recharts charts for 7 parameters: ~300 ms of rendering on two shared cores).
import { useEffect, useState } from 'react';

export function useStaged(key: string, first: number): number {
  const [staged, setStaged] = useState<{ key: string; n: number }>({ key, n: first });
  useEffect(() => {
    let id = requestAnimationFrame(() => {
      id = requestAnimationFrame(() => setStaged({ key, n: Number.POSITIVE_INFINITY }));
    });
    return () => cancelAnimationFrame(id);
  }, [key]);
  return staged.key === key ? staged.n : first;
}
