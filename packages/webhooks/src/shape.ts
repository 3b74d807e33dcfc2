import { WebhookError } from './errors.js';

/**
 * The topic headers are not signed, so a signed body can be replayed under another topic: a signed `order.updated`
 * body sent again as `order.deleted`. Each topic's body has a shape the store never varies, so a body of the wrong
 * shape is refused. What real WooCommerce 11 stores send (docs/decisions/webhook-payload-shape.md):
 * - `*.deleted`: `{"id":N}` and nothing else (trash only; WooCommerce builds it before it renders anything);
 * - `action.<hook>`: `{"action":"<hook>","arg":...}`, the hook being the topic's own;
 * - every other topic: the full resource as the REST API renders it, or, when the resource is gone by the time the
 *   queued delivery runs, the REST error the store got (`{"code","message","data"}`).
 * A full resource is recognised by fields every rendering of its kind carries (wc/v1, v2 and v3 alike) and no other
 * kind has at the top level.
 */
const MARKERS: Readonly<Record<string, readonly [string, string]>> = {
  order: ['order_key', 'line_items'],
  product: ['type', 'sku'],
  customer: ['email', 'username'],
  coupon: ['code', 'discount_type'],
};
const NAMES: Readonly<Record<string, string>> = {
  order: 'an order',
  product: 'a product',
  customer: 'a customer',
  coupon: 'a coupon',
};

type Json = Record<string, unknown>;

const isId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The error object the store delivers when it could not render the resource (it was deleted meanwhile). */
export function isStoreErrorPayload(
  payload: unknown,
): payload is { code: string; message: string; data: unknown } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return false;
  const p = payload as Json;
  return (
    typeof p.code === 'string' &&
    typeof p.message === 'string' &&
    Object.hasOwn(p, 'data') &&
    !Object.hasOwn(p, 'id')
  );
}

const isDeletedShape = (p: Json) => {
  const keys = Object.keys(p);
  return keys.length === 1 && keys[0] === 'id' && isId(p.id);
};

function isResource(resource: string, p: Json): boolean {
  const markers = MARKERS[resource];
  // A resource this package has no markers for (a topic added to your spec): anything but a deleted body.
  if (!markers) return !isDeletedShape(p);
  return isId(p.id) && markers.every((m) => Object.hasOwn(p, m));
}

function mismatch(topic: string, wanted: string): WebhookError {
  return new WebhookError(
    'payload_mismatch',
    `The body does not have the shape of ${topic} (${wanted}). X-WC-Webhook-Topic is not covered by ` +
      'the signature, so this may be a signed body of another topic replayed under this one; it was refused.',
  );
}

/**
 * A webhook set to the Legacy REST API (`api_version` `legacy_v3`) wraps the resource, `{"order":{...}}`, and
 * sends a failed rendering as a serialised WP_Error, `{"errors":{...},"error_data":{...}}`: not the wc/v3 shape
 * these types describe. Said plainly, since the store's delivery log shows our answer.
 */
function isLegacy(resource: string, p: Json): boolean {
  const keys = Object.keys(p);
  if (keys.length === 1 && keys[0] === resource)
    return typeof p[resource] === 'object' && p[resource] !== null;
  return keys.length === 2 && Object.hasOwn(p, 'errors') && Object.hasOwn(p, 'error_data');
}

/** Throws `payload_mismatch` when a known topic's body is not what the store sends for that topic. */
export function checkShape(topic: string, resource: string, event: string, payload: Json): void {
  if (resource === 'action') {
    if (payload.action !== event || !Object.hasOwn(payload, 'arg')) {
      throw mismatch(topic, `{ action: "${event}", arg }`);
    }
    return;
  }
  if (event === 'deleted') {
    if (!isDeletedShape(payload)) {
      throw mismatch(topic, '{ id } only, a positive integer');
    }
    return;
  }
  if (!isResource(resource, payload) && !isStoreErrorPayload(payload)) {
    if (isLegacy(resource, payload)) {
      throw new WebhookError(
        'payload_mismatch',
        `The ${topic} body has the Legacy REST API's shape, not wc/v3's: in WooCommerce > Settings > Advanced > ` +
          "Webhooks, set this webhook's API version to WP REST API Integration v3.",
      );
    }
    const markers = MARKERS[resource];
    const what = markers
      ? `${NAMES[resource]} with id, ${markers.join(' and ')}, or the store's { code, message, data } error`
      : 'the resource, not a bare { id }';
    throw mismatch(topic, what);
  }
}
