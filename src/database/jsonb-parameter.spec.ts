import { jsonbArray } from './jsonb-parameter';

describe('jsonbArray', () => {
  const text = (b: Buffer) => b.subarray(1).toString('utf8');

  it("starts with jsonb's binary format version, then holds the array's JSON text", () => {
    const rows = [{ id: 'a', content: { text: 'Amsterdam → Paris' } }, { id: 'b', n: 2, none: null }];
    const bytes = jsonbArray(rows);
    expect(bytes[0]).toBe(1);
    expect(JSON.parse(text(bytes))).toEqual(rows);
  });

  it('is an empty array for no items, and null where JSON has no value', () => {
    expect(text(jsonbArray([]))).toBe('[]');
    expect(JSON.parse(text(jsonbArray([undefined, () => 1, 'x'])))).toEqual([null, null, 'x']);
  });

  it('keeps characters outside the BMP and escapes what JSON must', () => {
    const rows = [{ name: '😀 "quoted"\n\t' }];
    expect(JSON.parse(text(jsonbArray(rows)))).toEqual(rows);
  });
});
