import type { ViewProps } from '../view-props.ts';

export default function View(_props: ViewProps) {
  return <p className="empty">Coming next.</p>;
}
