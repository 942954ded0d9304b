import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { INTAKE_CONFIG, IntakeConfig, InjectConfig } from '../config/config-slices';
import type { EventProperties } from './event-message';
import { bookingReferenceOf, parkedBody } from './parked-body';

export interface ParkedEventInput {
  reasonCode: string;
  reason: string;
  type?: string;
  source?: string;
  eventId?: string;
  routingKey: string;
  body: Buffer;
  /** The AMQP properties and headers it arrived with (a binary-mode event's attributes are there). */
  properties?: EventProperties;
}

export interface ParkedEventRecord {
  id: string;
  reasonCode: string;
  reason: string;
  type: string | null;
  source: string | null;
  eventId: string | null;
  routingKey: string;
  /** Size of the whole body; an oversize body is stored as its first 4 KiB only (`truncated`). */
  bodyBytes: number;
  truncated: boolean;
  /** Set when its body was erased with its booking's personal data. */
  erasedAt: Date | null;
  parkedAt: Date;
  redrivenAt: Date | null;
}

/** A parked event locked for a re-drive: its stored bytes, and whether they are the whole event. */
export interface RedriveCandidate {
  body: Buffer;
  bodyBytes: number;
  routingKey: string;
  /** The producer's AMQP properties and headers, as they arrived (a binary-mode event's attributes). */
  properties: EventProperties | null;
  redrivenAt: Date | null;
  erasedAt: Date | null;
}

/** Events that could not be applied, kept with their reason until an operator re-drives them. */
@Injectable()
export class ParkedEventRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /**
   * Records a parked event; the same body parked for the same reason twice stays one row. A body larger
   * than MAX_EVENT_BYTES is stored as its prefix with the size and hash of the whole.
   */
  async park(p: ParkedEventInput, m: EntityManager = this.dataSource.manager): Promise<void> {
    const body = parkedBody(p.body, this.config.MAX_EVENT_BYTES);
    await m.query(
      `INSERT INTO parked_events (reason_code, reason, type, source, event_id, routing_key, body, body_sha256, body_bytes, booking_reference, amqp_properties)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (body_sha256, reason_code) WHERE redriven_at IS NULL DO NOTHING`,
      [
        p.reasonCode,
        p.reason,
        p.type?.slice(0, 200) ?? null,
        p.source?.slice(0, 200) ?? null,
        p.eventId?.slice(0, 200) ?? null,
        p.routingKey.slice(0, 255),
        body.stored,
        body.sha256,
        body.size,
        bookingReferenceOf(p.body) ?? null,
        p.properties ? JSON.stringify(p.properties) : null,
      ],
    );
  }

  /** Locks one parked event for a re-drive; undefined when there is no such row. */
  async lockForRedrive(m: EntityManager, id: string): Promise<RedriveCandidate | undefined> {
    const rows: {
      body: Buffer;
      body_bytes: number;
      routing_key: string;
      amqp_properties: EventProperties | null;
      redriven_at: Date | null;
      erased_at: Date | null;
    }[] = await m.query(
      `SELECT body, coalesce(body_bytes, octet_length(body)) AS body_bytes, routing_key, amqp_properties, redriven_at, erased_at
         FROM parked_events WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    return (
      row && {
        body: row.body,
        bodyBytes: row.body_bytes,
        routingKey: row.routing_key,
        properties: row.amqp_properties,
        redrivenAt: row.redriven_at,
        erasedAt: row.erased_at,
      }
    );
  }

  async markRedriven(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE parked_events SET redriven_at = now() WHERE id = $1`, [id]);
  }

  /** Ids of the open (not re-driven) events matching the filter, oldest first. */
  async openIds(filter: { reasonCode?: string; type?: string }): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM parked_events WHERE redriven_at IS NULL AND ($1::text IS NULL OR reason_code = $1)
          AND ($2::text IS NULL OR type = $2) ORDER BY parked_at, id`,
      [filter.reasonCode ?? null, filter.type ?? null],
    );
    return rows.map((r) => r.id);
  }

  async list(filter: { limit: number; open?: boolean; reasonCode?: string; type?: string }): Promise<ParkedEventRecord[]> {
    const rows: {
      id: string;
      reason_code: string;
      reason: string;
      type: string | null;
      source: string | null;
      event_id: string | null;
      routing_key: string;
      body_bytes: number;
      truncated: boolean;
      erased_at: Date | null;
      parked_at: Date;
      redriven_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT id, reason_code, reason, type, source, event_id, routing_key, coalesce(body_bytes, octet_length(body)) AS body_bytes,
              coalesce(octet_length(body) < body_bytes AND erased_at IS NULL, false) AS truncated, erased_at, parked_at, redriven_at
         FROM parked_events
        WHERE ($2::boolean IS NULL OR (redriven_at IS NULL) = $2) AND ($3::text IS NULL OR reason_code = $3)
          AND ($4::text IS NULL OR type = $4)
        ORDER BY parked_at DESC, id LIMIT $1`,
      [filter.limit, filter.open ?? null, filter.reasonCode ?? null, filter.type ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      reasonCode: r.reason_code,
      reason: r.reason,
      type: r.type,
      source: r.source,
      eventId: r.event_id,
      routingKey: r.routing_key,
      bodyBytes: r.body_bytes,
      truncated: r.truncated,
      erasedAt: r.erased_at,
      parkedAt: r.parked_at,
      redrivenAt: r.redriven_at,
    }));
  }
}
