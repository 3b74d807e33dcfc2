/**
 * One signed delivery for a topic the spec knows. Everything but `payload` comes from the `X-WC-Webhook-*`
 * headers, which the signature does NOT cover (WooCommerce signs the body only): route on them, but take ids that
 * matter for security from the payload.
 */
export interface WebhookDelivery<
  Topic extends string,
  Resource extends string,
  Event extends string,
  Payload,
> {
  readonly kind: 'event';
  /** `X-WC-Webhook-Topic`, e.g. `order.created`. Discriminates the `WebhookEvent` union. */
  readonly topic: Topic;
  /** `X-WC-Webhook-Resource`: the part before the dot (`order`, `action`). */
  readonly resource: Resource;
  /** `X-WC-Webhook-Event`: the part after the dot (`created`, or the action hook name). */
  readonly event: Event;
  /** `X-WC-Webhook-ID`: the webhook (REST resource `/webhooks/{id}`) that sent this. */
  readonly webhookId: number;
  /**
   * `X-WC-Webhook-Delivery-ID`, for logs. Not unique: the store derives it from the webhook id and the second of
   * sending, so one webhook's deliveries within a second share it. Be idempotent on the payload's id instead.
   */
  readonly deliveryId: string;
  /** `X-WC-Webhook-Source`: the store's home URL, with a trailing slash. */
  readonly source: string;
  /** The verified, parsed JSON body: the resource as the REST API returns it; `{ id }` for `*.deleted`. */
  readonly payload: Payload;
}

/**
 * The ping WooCommerce sends when a webhook is created: a form-encoded `webhook_id=N` with no signature headers,
 * so nothing about it can be verified. Answer 200 (the store marks the webhook as failing otherwise) and act on
 * nothing in it.
 */
export interface PingEvent {
  readonly kind: 'ping';
  readonly webhookId: number;
}

/** A signed delivery whose topic the spec does not list (a plugin's custom topic, or a newer WooCommerce). */
export interface UnknownWebhookEvent {
  readonly kind: 'unknown';
  readonly topic: string;
  readonly resource: string;
  readonly event: string;
  readonly webhookId: number;
  readonly deliveryId: string;
  readonly source: string;
  readonly payload: unknown;
}
