import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpServer, readBody } from './local-http-server';

/** An OTLP/JSON attribute value (only the kinds this service writes). */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}

interface OtlpKeyValue {
  key: string;
  value: AnyValue;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpKeyValue[];
  links?: { traceId: string; spanId: string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number };
}

interface ExportTraceServiceRequest {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** A span as the tests read it: ids in hex, attributes as a plain object. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
  attributes: Record<string, string | number | boolean>;
  links: { traceId: string; spanId: string }[];
  statusCode: number;
  resource: Record<string, string | number | boolean>;
}

/** SpanKind numbers of opentelemetry/proto/trace/v1/trace.proto. */
const KINDS: ReceivedSpan['kind'][] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * A collector's OTLP/HTTP trace endpoint played locally: accepts POST /v1/traces with the JSON encoding
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/json; the OTLP specification's JSON mapping of the protobuf messages,
 * trace and span ids as hex) and keeps every request body and the spans in it.
 */
export class OtlpReceiver extends LocalHttpServer {
  readonly requests: { path: string; contentType: string | undefined; body: string }[] = [];
  readonly spans: ReceivedSpan[] = [];

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req)).toString('utf8');
    this.requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
    if (req.method !== 'POST' || req.url !== '/v1/traces' || !req.headers['content-type']?.startsWith('application/json')) {
      res.writeHead(404).end();
      return;
    }
    const request = JSON.parse(body) as ExportTraceServiceRequest;
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = plain(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: KINDS[span.kind] ?? 'unspecified',
            attributes: plain(span.attributes),
            links: (span.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
            statusCode: span.status?.code ?? 0,
            resource,
          });
        }
      }
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  }
}

function plain(attributes: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
  }
  return out;
}
