// @ts-check
// The API's shapes, from the generated types/api.d.ts (openapi-typescript over /api/docs-json): the page's
// JSDoc refers to these names, so a change of the API that the page does not follow fails `npm run lint:types`.

/** @typedef {import('./types/api').components['schemas']} Schemas */
/** @typedef {Schemas['NotificationSummaryDto']} NotificationSummary */
/** @typedef {Schemas['NotificationPageDto']} NotificationPage */
/** @typedef {Schemas['NotificationDetailDto']} NotificationDetail */
/** @typedef {Schemas['TimelineEntryDto']} TimelineEntry */
/** @typedef {Schemas['AttachmentLinkDto']} AttachmentLink */
/** @typedef {Schemas['WhatsAppTemplateDto']} WhatsAppTemplate */
/** @typedef {Schemas['StatsResponse']} StatsResponse */
/** @typedef {Schemas['StatsBacklog']} StatsBacklog */
/** @typedef {Schemas['StatsMinute']} StatsMinute */
/** @typedef {Schemas['SessionResponse']} SessionResponse */
/** @typedef {Schemas['DeadLetterListDto']} DeadLetterList */
/** @typedef {Schemas['DeadLetterDto']} DeadLetter */
/** @typedef {Schemas['RedriveAppliedDto'] | Schemas['RedriveParkedDto'] | Schemas['RedriveDuplicateDto'] | Schemas['RedriveSkippedDto']} RedriveOutcome */
/** @typedef {Schemas['RedriveManyResult']} RedriveManyResult */
/** @typedef {Schemas['BulkDryRunDto']} BulkDryRun */
/** @typedef {Schemas['ReplayJobDto']} ReplayJob */
/** @typedef {Schemas['ReplayedDto'] | Schemas['ReplaySkippedDto']} ReplayOutcome */
/** @typedef {Schemas['FlightViewDto']} FlightView */
/** @typedef {Schemas['FlightLegDto']} FlightLeg */
/** @typedef {Schemas['BookingViewDto']} BookingView */
/** @typedef {NotificationSummary['status']} NotificationStatus */
/** @typedef {NotificationSummary['channel']} DeliveryChannel */
/** @typedef {NotificationSummary['type']} NotificationType */

export {};
