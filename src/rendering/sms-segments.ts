import { SegmentedMessage } from 'sms-segments-calculator';

export interface SmsSegmentCount {
  /** GSM-7 when every character is in the GSM 03.38 alphabet (basic or extension table), else UCS-2. */
  encoding: 'GSM-7' | 'UCS-2';
  /** How many SMS the carrier bills: 160/153 septets per part in GSM-7, 70/67 UTF-16 units in UCS-2. */
  segments: number;
}

/**
 * Counts the SMS segments a text is sent as, the way Twilio counts them. Built on Twilio's own
 * sms-segments-calculator (TwilioDevEd/message-segment-calculator): it knows the GSM-7 basic and extension
 * tables (extension characters such as € { } [ ] ~ \ | ^ take two septets), switches the whole message to
 * UCS-2 as soon as one character is outside GSM-7 (emoji take two UTF-16 units), and never splits an escape
 * sequence or a surrogate pair across two segments. Smart Encoding is off: we send the text as rendered.
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  const message = new SegmentedMessage(text, 'auto', false);
  return { encoding: message.encodingName, segments: message.segmentsCount };
}
