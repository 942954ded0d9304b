import { createHash } from 'node:crypto';
import { parseWeChatPush } from './wechat-push';
import { isWeChatSigned, wechatSignature } from './wechat-signature';

describe('WeChat signature', () => {
  it('is the hex SHA-1 of token, timestamp and nonce sorted as strings and joined', () => {
    // sorted: ['1409304348', 'token', 'xxxxxx'] → sha1('1409304348tokenxxxxxx')
    // sorted: '1409304348' < 'token' < 'xxxxxx'; the order the three are given in does not matter.
    expect(wechatSignature('token', '1409304348', 'xxxxxx')).toBe(createHash('sha1').update('1409304348tokenxxxxxx').digest('hex'));
    expect(wechatSignature('xxxxxx', 'token', '1409304348')).toBe(wechatSignature('token', '1409304348', 'xxxxxx'));
  });

  it('accepts our signature in either case and refuses anything else', () => {
    const signature = wechatSignature('token', '1700000000', '42');
    expect(isWeChatSigned('token', { signature, timestamp: '1700000000', nonce: '42' })).toBe(true);
    expect(isWeChatSigned('token', { signature: signature.toUpperCase(), timestamp: '1700000000', nonce: '42' })).toBe(true);
    expect(isWeChatSigned('token', { signature, timestamp: '1700000001', nonce: '42' })).toBe(false);
    expect(isWeChatSigned('other', { signature, timestamp: '1700000000', nonce: '42' })).toBe(false);
    expect(isWeChatSigned(undefined, { signature, timestamp: '1700000000', nonce: '42' })).toBe(false);
    expect(isWeChatSigned('token', { signature: signature.slice(1), timestamp: '1700000000', nonce: '42' })).toBe(false);
    expect(isWeChatSigned('token', { signature: [signature], timestamp: '1700000000', nonce: '42' })).toBe(false);
    expect(isWeChatSigned('token', { timestamp: '1700000000', nonce: '42' })).toBe(false);
  });
});

describe('parseWeChatPush', () => {
  const jobFinish = (status: string, msgId = '2805426530781233153') =>
    `<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></FromUserName>` +
    `<CreateTime>1395658920</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>` +
    `<MsgID>${msgId}</MsgID><Status><![CDATA[${status}]]></Status></xml>`;

  it('reads a TEMPLATESENDJOBFINISH push, the MsgID digit for digit', () => {
    expect(parseWeChatPush(Buffer.from(jobFinish('failed: system failed')))).toEqual({
      ok: true,
      push: {
        toUserName: 'gh_7f083739789a',
        fromUserName: 'oia2TjuEGTNoeX76QEjQNrcURxG8',
        createTime: '1395658920',
        msgType: 'event',
        event: 'TEMPLATESENDJOBFINISH',
        msgId: '2805426530781233153',
        status: 'failed: system failed',
      },
    });
  });

  it('reads a text message and keeps its words as written (text, not a number)', () => {
    const xml = `<xml><ToUserName>gh</ToUserName><FromUserName>oia2TjuEGTNoeX76QEjQNrcURxG8</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content><![CDATA[ 0042 ]]></Content><MsgId>1234567890123456</MsgId></xml>`;
    expect(parseWeChatPush(xml)).toMatchObject({ ok: true, push: { msgType: 'text', content: ' 0042 ', msgId: '1234567890123456' } });
  });

  it.each([
    ['', 'empty body'],
    ['not xml', 'not well-formed'],
    ['<xml><ToUserName>gh</ToUserName>', 'not well-formed'],
    ['<root><ToUserName>gh</ToUserName></root>', '<xml>'],
    ['<xml><ToUserName>gh</ToUserName><CreateTime>1</CreateTime><MsgType>event</MsgType></xml>', '<FromUserName>'],
    ['<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>soon</CreateTime><MsgType>event</MsgType></xml>', '<CreateTime>'],
    ['<!DOCTYPE xml [<!ENTITY e "x">]><xml><ToUserName>&e;</ToUserName></xml>', 'DOCTYPE'],
  ])('refuses %j, naming the problem', (body, problem) => {
    const parsed = parseWeChatPush(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });

  it('recognises a safe-mode (encrypted) body', () => {
    expect(parseWeChatPush('<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[abc]]></Encrypt></xml>')).toMatchObject({ ok: true, push: { encrypt: 'abc', msgType: '' } });
  });
});
