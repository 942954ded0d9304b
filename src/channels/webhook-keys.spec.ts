import { canonicalForm, canonicalJson, contentKey } from './webhook-keys';

describe('webhook keys', () => {
  it('gives equal JSON documents equal text, whatever the key order or escaping', () => {
    const a = JSON.parse('{"b":1,"a":{"y":[1,{"q":"A","p":null}],"x":"é"}}');
    const b = JSON.parse('{"a":{"x":"\\u00e9","y":[1,{"p":null,"q":"\\u0041"}]},"b":1}');
    expect(canonicalJson(a)).toBe('{"a":{"x":"é","y":[1,{"p":null,"q":"A"}]},"b":1}');
    expect(contentKey(a)).toBe(contentKey(b));
  });

  it('tells different documents apart, array order included', () => {
    expect(contentKey({ a: [1, 2] })).not.toBe(contentKey({ a: [2, 1] }));
    expect(contentKey({ a: '1' })).not.toBe(contentKey({ a: 1 }));
    expect(contentKey({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('orders form parameters and repeated values the way Twilio signs them', () => {
    const reordered = canonicalForm({ To: '+1', Body: 'STOP', MediaUrl: ['b', 'a'] });
    expect(Object.keys(reordered)).toEqual(['Body', 'MediaUrl', 'To']);
    expect(reordered.MediaUrl).toEqual(['a', 'b']);
    expect(contentKey(reordered)).toBe(contentKey(canonicalForm({ MediaUrl: ['a', 'b'], Body: 'STOP', To: '+1' })));
  });
});
