// The line under a chart saying how it was reduced ("binned: …", "sampled: N of M"), so nobody
// mistakes 2,400 cells for 333,334 points.
import type { ReactNode } from 'react';

export function ChartNote({ children }: { children: ReactNode }) {
  return <p className="chart-note">{children}</p>;
}
