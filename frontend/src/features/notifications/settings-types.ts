/** The kinds of notification a user can turn on or off (escalations cannot be turned off). */
export const NOTIFICATION_KINDS = ['mention', 'escalation', 'added_to_room', 'room_acknowledged', 'room_resolved'] as const;
export type NotificationKindSetting = (typeof NOTIFICATION_KINDS)[number];

/** GET/PUT /api/me/notification-settings: channels beyond the app and the kinds that use them. */
export type NotificationSettings = {
  email: boolean;
  web_push: boolean;
  kinds: Record<NotificationKindSetting, boolean>;
};

/** A browser the user turned Web Push on in (the endpoint itself stays on the server). */
export type SubscribedDevice = {
  subscription_id: string;
  endpoint_host: string;
  user_agent: string;
  created_at: string;
};

/** GET /api/me/push-subscriptions; `public_key` is "" when the server has no VAPID key. */
export type PushSubscriptions = {
  public_key: string;
  subscriptions: SubscribedDevice[];
};

/** POST /api/me/push-subscriptions: `PushSubscription.toJSON()`'s endpoint and keys, and the browser. */
export type PushSubscriptionBody = {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  user_agent?: string;
};
