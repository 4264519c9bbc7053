// A query's state in a view: the latest answer (kept on screen while the next one runs, so charts
// do not flash), its error, and whether one is running. Answers to superseded requests are dropped.
import { type DependencyList, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

export function useAsync<T>(run: () => Promise<T> | null, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ data: null, error: null, loading: false });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const p = run();
    if (!p) return;
    setState((s) => ({ ...s, loading: true }));
    p.then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (e: unknown) =>
        mine === seq.current &&
        setState((s) => ({
          ...s,
          error: e instanceof Error ? e.message.split('\n')[0]! : String(e),
          loading: false,
        })),
    );
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the query reads
  }, deps);
  return state;
}
