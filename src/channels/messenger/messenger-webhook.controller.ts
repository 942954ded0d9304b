import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../ops/auth/ops-role';
import { parseMessengerWebhook } from './messenger-webhook-payload';
import { MessengerWebhookService, MessengerWebhookSummary } from './messenger-webhook.service';

/**
 * Meta's callback URL for the Page's Messenger webhooks. GET answers the subscription handshake; POST takes
 * signed notifications of every field the app subscribes to (messages, message_deliveries, message_reads,
 * messaging_postbacks, message_echoes, message_template_status_update). A signed, well-formed POST always gets
 * 200 — Meta retries anything else and, after an hour of failures, unsubscribes the app — even for events we do
 * not act on and reports applied before.
 */
@Controller('webhooks/messenger')
@Public('Meta calls it: POST must carry X-Hub-Signature-256 over the body, GET the verify token')
export class MessengerWebhookController {
  constructor(private readonly webhooks: MessengerWebhookService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  verify(
    @Query('hub.mode') mode: unknown,
    @Query('hub.verify_token') token: unknown,
    @Query('hub.challenge') challenge: unknown,
    @Res({ passthrough: true }) res: Response,
  ): string {
    const answer = this.webhooks.verifySubscription(mode, token, challenge);
    if (answer === undefined) throw new ForbiddenException('verification failed');
    res.type('text/plain');
    return answer;
  }

  @Post()
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('x-hub-signature-256') signature: string | undefined): Promise<MessengerWebhookSummary> {
    // Checked over the exact bytes Meta sent, before anything in the body is believed.
    if (!this.webhooks.isSigned(req.rawBody, signature)) throw new UnauthorizedException('missing or invalid X-Hub-Signature-256');
    const parsed = parseMessengerWebhook(req.rawBody as Buffer);
    if (!parsed.ok) throw new BadRequestException(parsed.problem);
    return this.webhooks.process(parsed.payload);
  }
}
