import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../ops/auth/ops-role';
import { parseWeChatPush } from './wechat-push';
import { NotYetKnown, WeChatWebhookService } from './wechat-webhook.service';

interface SignedQuery {
  signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
}

/**
 * The Official Account's server URL. GET is WeChat's check of the URL: echo `echostr` when the signature is
 * ours. POST carries event pushes and users' messages as XML (plaintext or compatible mode), signed in the
 * query string the same way. A signed push always gets 200 "success" (WeChat retries anything else, three
 * times), except a report about a send whose answer we have not stored yet: 503, so a retry applies it.
 */
@Controller('webhooks/wechat')
@Public('WeChat calls it: every request carries signature = SHA-1 over the sorted token, timestamp and nonce')
export class WeChatWebhookController {
  constructor(private readonly webhooks: WeChatWebhookService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  verify(@Query() query: SignedQuery & { echostr?: unknown }, @Res({ passthrough: true }) res: Response): string {
    if (!this.webhooks.isSigned(query)) throw new ForbiddenException('missing or invalid signature');
    const { echostr } = query;
    if (typeof echostr !== 'string' || echostr === '' || echostr.length > 256) throw new BadRequestException('echostr must be a string of up to 256 characters');
    // WeChat reads echostr back as the plain body.
    res.type('text/plain');
    return echostr;
  }

  @Post()
  @HttpCode(200)
  async receive(
    @Req() req: RawBodyRequest<Request>,
    @Query() query: SignedQuery & { encrypt_type?: unknown },
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    // The body is believed only once the signature says WeChat sent the request.
    if (!this.webhooks.isSigned(query)) throw new UnauthorizedException('missing or invalid signature');
    const parsed = parseWeChatPush(req.rawBody);
    if (!parsed.ok) throw new BadRequestException(parsed.problem);
    if (parsed.push.msgType === '' && parsed.push.encrypt !== undefined) {
      // Safe mode: the body is AES-encrypted with the EncodingAESKey, which this service is not given.
      throw new BadRequestException('encrypted push (safe mode): set the Official Account to plaintext or compatible mode');
    }
    try {
      await this.webhooks.process(parsed.push);
    } catch (error) {
      if (error instanceof NotYetKnown) throw new ServiceUnavailableException(error.message);
      throw error;
    }
    // WeChat reads "success" (or an empty body) as handled.
    res.type('text/plain');
    return 'success';
  }
}
