import { countSmsSegments } from './sms-segments';

describe('countSmsSegments', () => {
  it('fits 160 GSM-7 characters in one segment and splits longer texts into 153-septet parts', () => {
    expect(countSmsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(countSmsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSmsSegments('a'.repeat(459)).segments).toBe(3);
    expect(countSmsSegments('a'.repeat(460)).segments).toBe(4);
  });

  it('keeps accented letters of the GSM-7 basic table in GSM-7', () => {
    expect(countSmsSegments('Vlucht KL1234 vertrekt van gate D7. Ä é ñ ü ø å £ ¥ §')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSmsSegments('é'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
  });

  it('counts GSM-7 extension characters (€ { } [ ] ~ \\ | ^) as two septets', () => {
    expect(countSmsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(countSmsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(countSmsSegments('{}[]~\\|^'.repeat(10))).toEqual({ encoding: 'GSM-7', segments: 1 }); // 160 septets
    expect(countSmsSegments(`${'{}[]~\\|^'.repeat(10)}a`)).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(countSmsSegments(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('never splits an escape sequence across two segments', () => {
    // 305 septets would fit two 153-septet parts, but the € cannot straddle the boundary after 152 letters.
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(151)}`).segments).toBe(2);
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7: 70 per segment, 67 per part', () => {
    expect(countSmsSegments('ł'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments('ł'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(countSmsSegments('ł'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('ł'.repeat(135)).segments).toBe(3);
    expect(countSmsSegments(`${'a'.repeat(69)}ł`)).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments(`${'a'.repeat(70)}ł`)).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(countSmsSegments('Gate D7 → D9')).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments('航班 KL1234 已延误')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('counts an emoji as two UTF-16 units and never splits one', () => {
    expect(countSmsSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(countSmsSegments(`${'a'.repeat(68)}✈️`)).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSmsSegments(`${'a'.repeat(69)}😀`)).toEqual({ encoding: 'UCS-2', segments: 2 });
    // 134 units would fill two parts, but the emoji cannot straddle the boundary after 66 letters.
    expect(countSmsSegments(`${'ł'.repeat(66)}😀${'ł'.repeat(66)}`).segments).toBe(3);
  });

  it('counts an empty text as one segment, as Twilio bills it', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', segments: 1 });
  });
});
