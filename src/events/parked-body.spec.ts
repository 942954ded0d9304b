import { createHash } from 'node:crypto';
import { bookingReferenceOf, parkedBody, PARKED_PREFIX_BYTES } from './parked-body';

describe('parkedBody', () => {
  it('keeps a body within the limit whole', () => {
    const body = Buffer.from('{"id":"x"}');
    expect(parkedBody(body, 1024)).toEqual({
      stored: body,
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      truncated: false,
    });
  });

  it('keeps only the prefix of an oversize body, with the size and hash of the whole', () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const parked = parkedBody(body, 256 * 1024);
    expect(parked.stored).toHaveLength(PARKED_PREFIX_BYTES);
    expect(parked.stored.equals(body.subarray(0, PARKED_PREFIX_BYTES))).toBe(true);
    expect(parked).toMatchObject({ size: body.length, truncated: true, sha256: createHash('sha256').update(body).digest('hex') });
  });
});

describe('bookingReferenceOf', () => {
  it('finds the booking named by a valid event', () => {
    expect(bookingReferenceOf(Buffer.from(JSON.stringify({ data: { bookingReference: 'X7K2QP', passengers: [] } })))).toBe('X7K2QP');
  });

  it('finds it in a body that is not JSON, or is cut short, and upper-cases it', () => {
    expect(bookingReferenceOf(Buffer.from('{"data": {"bookingReference" : "ab12cd", "passengers": [{"givenName": "Luc'))).toBe('AB12CD');
  });

  it('skips a key whose value is no booking reference and takes the next', () => {
    expect(bookingReferenceOf(Buffer.from('{"bookingReference": 12, "x": {"bookingReference": "QQ11WW"}}'))).toBe('QQ11WW');
  });

  it('is undefined when no booking is named', () => {
    expect(bookingReferenceOf(Buffer.from('{"type":"flight.status.changed"}'))).toBeUndefined();
    expect(bookingReferenceOf(Buffer.from('{"bookingReference": "TOOLONG1"}'))).toBeUndefined();
  });
});
