import { describe, expect, it } from 'vitest';
import { withoutToken } from './drop-token.ts';

describe('dropping the token from the address bar', () => {
  it('removes only the token, keeping the view (store, sort, filter) and the hash', () => {
    expect(withoutToken('http://127.0.0.1:5/?token=abc&store=%2Fdata%2Fs&sort=-loss#x')).toBe(
      '/?store=%2Fdata%2Fs&sort=-loss#x',
    );
    expect(withoutToken('http://127.0.0.1:5/?token=abc')).toBe('/');
    expect(withoutToken('http://127.0.0.1:5/?sort=loss')).toBeNull();
  });
});
