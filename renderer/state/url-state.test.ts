import { describe, expect, it } from 'vitest';
import { DEFAULT_COMBINED, readViewState, type ViewState, writeViewState } from './url-state.ts';

const base: ViewState = {
  tab: 'table',
  sort: null,
  pivotSort: null,
  filter: {},
  combined: DEFAULT_COMBINED,
  settings: {},
};

describe('URL view state', () => {
  it('round-trips tab, sorts, filter, brushed ranges and weights, and keeps the token', () => {
    const state: ViewState = {
      tab: 'pivot',
      sort: { column: 'param_a"b', desc: true },
      pivotSort: { column: "t_it's", desc: false },
      filter: {
        targets: ['prevalence_target'],
        statuses: ['ok' as const],
        where: "param_scenario = 'it''s' AND loss < 3",
        lossRanges: { "t_it's": [-1.5e-7, 0.1 + 0.2], 'a..b': [null, 3] },
        paramRanges: { 'param_a"b': [0.25, null] },
      },
      combined: { method: 'weighted', weights: { "t_it's": 2.5, t_alpha: 0 } },
      settings: { 'best.n': '50', 'table.hidden': 'seeds,param_a"b', 'prof.target': "t_it's" },
    };
    const search = writeViewState('?token=abc123&store=%2Fdata%2Fs', state);
    const p = new URLSearchParams(search);
    expect(p.get('token')).toBe('abc123');
    expect(p.get('store')).toBe('/data/s');
    expect(p.get("loss.t_it's")).toBe('-1.5e-7..0.30000000000000004');
    expect(p.get('v.best.n')).toBe('50');
    expect(readViewState(search)).toEqual(state);
  });
  it('clears keys when the state is default, and drops a brush that was removed', () => {
    const brushed = writeViewState('?token=t', { ...base, filter: { lossRanges: { a: [1, 2] } } });
    expect(writeViewState(brushed, base)).toBe('?token=t');
    const set = writeViewState('?token=t', { ...base, settings: { 'best.n': '30' } });
    expect(writeViewState(set, base)).toBe('?token=t');
    expect(writeViewState('?token=t&sort=loss&where=x', base)).toBe('?token=t');
    expect(readViewState('?status=bogus,failed&tab=nope&combine=median&loss.a=x..y&w.a=')).toEqual({
      ...base,
      filter: { statuses: ['failed'] },
    });
  });
});
