// Chart colours for the current theme. SVG attributes cannot read CSS variables, and light-dark()
// only resolves on an element, so each `--chart-*` colour is resolved on a probe element and read
// again when the theme attribute or the system scheme changes.
import { useEffect, useState } from 'react';

const NAMES = [
  'fg',
  'muted',
  'grid',
  'bar',
  'barBg',
  'density',
  'line',
  'point',
  'threshold',
  'brush',
  'bad',
] as const;
export type ChartTheme = Record<(typeof NAMES)[number], string>;

const cssName = (n: string) => `--chart-${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function resolve(): ChartTheme {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.appendChild(probe);
  const out = {} as ChartTheme;
  for (const n of NAMES) {
    probe.style.color = `var(${cssName(n)})`;
    out[n] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}

export function useChartTheme(): ChartTheme {
  const [theme, setTheme] = useState<ChartTheme>(resolve);
  useEffect(() => {
    const update = () => setTheme(resolve());
    const obs = new MutationObserver(update);
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', update);
    return () => {
      obs.disconnect();
      mq.removeEventListener('change', update);
    };
  }, []);
  return theme;
}
