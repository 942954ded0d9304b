/**
 * Attribute names of the OpenTelemetry semantic conventions that are still "development" (messaging).
 * The @opentelemetry/semantic-conventions README advises copying unstable names rather than importing its
 * `incubating` entry point, which may change in minor releases; the stable ones (HTTP, server, error)
 * are imported from the package itself.
 */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
/** For RabbitMQ the exchange name (semconv messaging/rabbitmq). */
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
export const ATTR_MESSAGING_RABBITMQ_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_MESSAGING_RABBITMQ_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_CLOUDEVENTS_EVENT_ID = 'cloudevents.event_id';
export const ATTR_CLOUDEVENTS_EVENT_TYPE = 'cloudevents.event_type';
export const ATTR_CLOUDEVENTS_EVENT_SOURCE = 'cloudevents.event_source';

/** This service's own attributes: identifiers and outcomes only, never a recipient or message text. */
export const ATTR_NOTIFIER_OUTCOME = 'notifier.outcome';
export const ATTR_NOTIFIER_PARK_REASON = 'notifier.park.reason_code';
export const ATTR_NOTIFIER_PLANNED = 'notifier.notifications.planned';
export const ATTR_NOTIFIER_NOTIFICATION_ID = 'notifier.notification.id';
export const ATTR_NOTIFIER_NOTIFICATION_TYPE = 'notifier.notification.type';
export const ATTR_NOTIFIER_CHANNEL = 'notifier.channel';
export const ATTR_NOTIFIER_ATTEMPT = 'notifier.attempt';
export const ATTR_NOTIFIER_ADAPTER = 'notifier.adapter';
export const ATTR_NOTIFIER_LOCALE = 'notifier.locale';
export const ATTR_NOTIFIER_PROVIDER_CODE = 'notifier.provider.code';
