// A live "n s" counter for work the user waits on (a pivot build over millions of rows), so a long
// wait reads as progress, not as a frozen window.
import { useEffect, useState } from 'react';

export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return <span className="elapsed">{s >= 1 ? ` ${s} s` : ''}</span>;
}
