// One view setting (Best N, a chart's target, hidden columns…) kept in the view state, so the URL
// carries it and a reload or a shared link restores it. A value equal to the default is left out.
import { useCallback, useMemo } from 'react';
import type { ViewStateApi } from '../views/view-props.ts';

export interface SettingCodec<T> {
  read(text: string): T | null;
  write(value: T): string;
}

export const intSetting = (min: number, max: number): SettingCodec<number> => ({
  read: (t) => {
    const v = Number(t);
    return Number.isInteger(v) && v >= min && v <= max ? v : null;
  },
  write: String,
});
export const numberSetting: SettingCodec<number> = {
  read: (t) => (t !== '' && Number.isFinite(Number(t)) ? Number(t) : null),
  write: String,
};
export const textSetting: SettingCodec<string> = { read: (t) => t, write: (v) => v };
export const boolSetting: SettingCodec<boolean> = {
  read: (t) => (t === '1' ? true : t === '0' ? false : null),
  write: (v) => (v ? '1' : '0'),
};
/** A set of names, comma-separated (names are URL-escaped by URLSearchParams; commas in names are not expected). */
export const listSetting: SettingCodec<readonly string[]> = {
  read: (t) => t.split(',').filter(Boolean),
  write: (v) => v.join(','),
};

export function useSetting<T>(
  view: Pick<ViewStateApi, 'settings' | 'setSetting'>,
  key: string,
  fallback: T,
  codec: SettingCodec<T>,
): [T, (value: T) => void] {
  const text = view.settings[key];
  const fallbackText = codec.write(fallback);
  // Decoded once per text and default, so a list setting is the same array between renders. The
  // default is keyed by its text: a per-target key's default changes with the target.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fallbackText stands for fallback; codecs are constants
  const value = useMemo(
    () => (text === undefined ? fallback : (codec.read(text) ?? fallback)),
    [text, fallbackText],
  );
  const { setSetting } = view;
  const set = useCallback(
    (v: T) => {
      const t = codec.write(v);
      setSetting(key, t === fallbackText ? null : t);
    },
    [setSetting, key, codec, fallbackText],
  );
  return [value, set];
}
