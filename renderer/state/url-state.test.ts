import { describe, expect, it } from 'vitest';
import { readViewState, writeViewState } from './url-state.ts';

describe('URL view state', () => {
  it('round-trips sort and filter and keeps the token', () => {
    const state = {
      sort: { column: 'param_a"b', desc: true },
      filter: {
        targets: ['prevalence_target'],
        statuses: ['ok' as const],
        where: "param_scenario = 'it''s' AND loss < 3",
      },
    };
    const search = writeViewState('?token=abc123', state);
    expect(new URLSearchParams(search).get('token')).toBe('abc123');
    expect(readViewState(search)).toEqual(state);
  });
  it('clears keys when the state is default', () => {
    expect(writeViewState('?token=t&sort=loss&where=x', { sort: null, filter: {} })).toBe('?token=t');
    expect(readViewState('?status=bogus,failed')).toEqual({ sort: null, filter: { statuses: ['failed'] } });
  });
});
