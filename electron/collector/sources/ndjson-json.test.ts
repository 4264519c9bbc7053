// Python's JSON dialect: the bare constants are read as numbers only outside strings.
import { describe, expect, it } from 'vitest';
import { parsePythonJson } from './ndjson-json.ts';

describe('parsePythonJson', () => {
  it('reads NaN, Infinity and -Infinity as numbers, at any depth', () => {
    expect(parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity, {"c": NaN}]}')).toEqual({
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, { c: Number.NaN }],
    });
    expect(parsePythonJson('NaN')).toBeNaN();
  });

  it('leaves the words inside strings (escaped quotes included) as written', () => {
    expect(parsePythonJson('{"s": "NaN \\"Infinity\\" -Infinity", "x": NaN}')).toEqual({
      s: 'NaN "Infinity" -Infinity',
      x: Number.NaN,
    });
  });

  it("still rejects what Python's json.dumps never writes, with JSON.parse's own message", () => {
    expect(() => parsePythonJson('{"a": NaNa}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": nan}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaN, oops}')).toThrow(/oops|property name|Unexpected/);
  });
});
