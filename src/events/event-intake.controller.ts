import { BadRequestException, Controller, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOperation, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProducerOnly } from '../ops/auth/ops-role';
import { EventIntakeResultsDto } from './event-intake.responses';
import { EventIntakeService } from './event-intake.service';
import { BATCH, readHttpEvents, STRUCTURED } from './http-cloudevents';

/** CloudEvents over HTTP, for booking systems that cannot speak AMQP. Only a producer token may POST here. */
@Controller('api/events')
@ProducerOnly()
export class EventIntakeController {
  constructor(private readonly intake: EventIntakeService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish CloudEvents over HTTP (structured, binary or batched): each is validated and applied as from RabbitMQ',
  })
  // Binary mode (data as application/json, attributes as ce- headers) is described in words: its body is
  // the event's data, whose schema is the AsyncAPI contract's, not a closed DTO this document could state.
  @ApiConsumes(STRUCTURED, BATCH)
  @ApiBody({
    description:
      'Structured: one CloudEvent (application/cloudevents+json). Batched: a JSON array of them (application/cloudevents-batch+json, at most 100). ' +
      'Binary: the event data as the body (application/json, or no content-type) with the attributes as ce- headers. Contract: docs/asyncapi.yaml.',
    schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' }, maxItems: 100 }] },
  })
  @ApiAcceptedResponse({ type: EventIntakeResultsDto, description: 'Each event applied, a duplicate (a success that changed nothing), or parked with its reason.' })
  @ApiBadRequestResponse({
    description: 'Not readable as CloudEvents (content type, JSON, a missing or malformed attribute); the message names the field (events[i] in a batch). Nothing of the request was applied.',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than MAX_EVENT_BYTES or 1 MiB, whichever is larger (100 kB for application/json).' })
  async publish(@Req() request: RawBodyRequest<Request>): Promise<EventIntakeResultsDto> {
    // rawBody: set by the JSON parser for application/json; the route's own raw parser keeps the rest as bytes.
    const body = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    const reading = readHttpEvents(request.headers, body);
    if (!reading.ok) throw new BadRequestException(reading.reason);
    return { results: await this.intake.accept(reading.events, reading.batch) };
  }
}
