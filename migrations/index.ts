import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ProviderDelivery1764000001000 } from './1764000001000-provider-delivery';
import { Operations1764000002000 } from './1764000002000-operations';
import { Scheduling1764000003000 } from './1764000003000-scheduling';
import { LeanNotificationWrites1764000004000 } from './1764000004000-lean-notification-writes';
import { ListFilterIndexes1764000006000 } from './1764000006000-list-filter-indexes';
import { SafeBulkActions1764000007000 } from './1764000007000-safe-bulk-actions';
import { ParkedBodiesAndErasure1764000008000 } from './1764000008000-parked-bodies-and-erasure';
import { NotificationTraceContext1764000009000 } from './1764000009000-notification-trace-context';
import { WebhooksOnce1764000010000 } from './1764000010000-webhooks-once';
import { IngestEdges1764000011000 } from './1764000011000-ingest-edges';
import { InDoubtSends1764000012000 } from './1764000012000-in-doubt-sends';
import { ReasonsInPassengerLanguage1764000016000 } from './1764000016000-reasons-in-passenger-language';
import { Messenger1764000017100 } from './1764000017100-messenger';
import { WeChatAccessTokens1764000017200 } from './1764000017200-wechat-access-tokens';
import { AppPush1764000018000 } from './1764000018000-app-push';
import { AppleWallet1764000018100 } from './1764000018100-apple-wallet';
import { GoogleWallet1764000018200 } from './1764000018200-google-wallet';
import { Lz4ForMessageBodies1764000019000 } from './1764000019000-lz4-for-message-bodies';
import { NotificationKeys1764000020000 } from './1764000020000-notification-keys';
import { TimeOrderedNotificationIds1764000021000 } from './1764000021000-time-ordered-notification-ids';
import { NewestFirstOnNotificationKeys1764000022000 } from './1764000022000-newest-first-on-notification-keys';
import { NotificationContexts1764000023000 } from './1764000023000-notification-contexts';
import { PassengerContactsIndex1764000024000 } from './1764000024000-passenger-contacts-index';

/** Listed by hand so the same array works from ts-jest and from the compiled dist/ (no glob over file names). */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  ProviderDelivery1764000001000,
  Operations1764000002000,
  Scheduling1764000003000,
  LeanNotificationWrites1764000004000,
  ListFilterIndexes1764000006000,
  SafeBulkActions1764000007000,
  ParkedBodiesAndErasure1764000008000,
  NotificationTraceContext1764000009000,
  WebhooksOnce1764000010000,
  IngestEdges1764000011000,
  InDoubtSends1764000012000,
  ReasonsInPassengerLanguage1764000016000,
  Messenger1764000017100,
  WeChatAccessTokens1764000017200,
  AppPush1764000018000,
  AppleWallet1764000018100,
  GoogleWallet1764000018200,
  Lz4ForMessageBodies1764000019000,
  NotificationKeys1764000020000,
  TimeOrderedNotificationIds1764000021000,
  NewestFirstOnNotificationKeys1764000022000,
  NotificationContexts1764000023000,
  PassengerContactsIndex1764000024000,
];
