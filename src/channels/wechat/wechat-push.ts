import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * An event push from WeChat, as the plaintext-mode XML carries it (`<xml><ToUserName>…</ToUserName>…</xml>`).
 * Only the fields the channel acts on are read; every value is kept as the text WeChat sent (a MsgID can pass
 * 2^53, so it must not become a number).
 */
export interface WeChatPush {
  toUserName: string;
  /** The user's OpenID. */
  fromUserName: string;
  createTime: string;
  msgType: string;
  /** For MsgType=event: TEMPLATESENDJOBFINISH, subscribe, unsubscribe … */
  event?: string;
  /** TEMPLATESENDJOBFINISH: the msgid the template send answered with. */
  msgId?: string;
  /** TEMPLATESENDJOBFINISH: "success", "failed:user block" or "failed: system failed". */
  status?: string;
  /** A text message's words and id (MsgType=text). */
  content?: string;
  /** Safe mode's encrypted body: present when the account is not in plaintext (or compatible) mode. */
  encrypt?: string;
}

const parser = new XMLParser({
  // Values stay text: a MsgID is a 64-bit number, a Content may look like one.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: true,
  // WeChat's bodies use CDATA and no entities beyond XML's own; no DOCTYPE entity expansion is ever wanted.
  processEntities: true,
  htmlEntities: false,
});

export type ParsedPush = { ok: true; push: WeChatPush } | { ok: false; problem: string };

/** Parses a push body; a clear problem (naming the field) for anything that is not one. */
export function parseWeChatPush(raw: Buffer | string | undefined): ParsedPush {
  const text = raw === undefined ? '' : typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.trim() === '') return { ok: false, problem: 'empty body: an XML event push was expected' };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, problem: 'a DOCTYPE or entity declaration is not accepted' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, problem: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const document: unknown = parser.parse(text);
  const xml = (document as { xml?: unknown }).xml;
  if (typeof xml !== 'object' || xml === null) return { ok: false, problem: 'the root element must be <xml>' };
  const fields = xml as Record<string, unknown>;
  const read = (name: string): string | undefined => {
    const value = fields[name];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  };
  const encrypt = read('Encrypt');
  for (const name of encrypt !== undefined ? ['ToUserName'] : ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType']) {
    if (!read(name)) return { ok: false, problem: `<${name}> is missing` };
  }
  const createTime = read('CreateTime') ?? '';
  if (createTime !== '' && !/^\d{1,12}$/.test(createTime)) return { ok: false, problem: '<CreateTime> must be Unix seconds' };
  const push: WeChatPush = {
    toUserName: read('ToUserName') as string,
    fromUserName: read('FromUserName') ?? '',
    createTime,
    msgType: read('MsgType') ?? '',
    ...optional('event', read('Event')),
    ...optional('msgId', read('MsgID') ?? read('MsgId')),
    ...optional('status', read('Status')),
    ...optional('content', read('Content')),
    ...optional('encrypt', encrypt),
  };
  return { ok: true, push };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
