import type { Erratum } from './types.js';

// Docs examples known to be wrong, by name. Add one only with the reason and the error it must keep producing.
export const ERRATA: Erratum[] = [
  {
    index: 119,
    method: 'GET',
    route: '/reports/top_sellers',
    kind: 'response',
    reason:
      'The docs show each top seller with a `title`; WooCommerce sends `name` (as its declared schema says), so the ' +
      'example lacks the required `name`.',
    failsWith: /must have required property 'name'/,
  },
  {
    index: 38,
    method: 'POST',
    route: '/orders/{order_id}/refunds',
    kind: 'request',
    reason:
      'The docs send line item and tax IDs as strings ("111"). WordPress coerces numeric strings, so the store ' +
      'accepts them, but the IDs are integers (declared so, and sent so in every response); send integers.',
    failsWith: /\/line_items\/0\/id must be integer/,
  },
  {
    index: 53,
    method: 'POST',
    route: '/products/batch',
    kind: 'response',
    reason:
      'The docs show a download `id` of 0 (a number); WooCommerce declares and sends download IDs as strings (an MD5 ' +
      'hash of the file).',
    failsWith: /\/create\/0\/downloads\/0\/id must be string/,
  },
  {
    index: 84,
    method: 'GET',
    route: '/products/categories',
    kind: 'response',
    reason:
      'The docs show `image: []` for categories without an image (what old versions sent); WooCommerce 11 declares ' +
      'an object and sends `null` when there is none.',
    failsWith: /\/0\/image must be (object|null)/,
  },
  {
    index: 89,
    method: 'POST',
    route: '/products/categories/batch',
    kind: 'response',
    reason:
      'Same as #84: the docs show `image: []` for categories without an image; WooCommerce 11 sends `null` or an ' +
      'object.',
    failsWith: /\/create\/0\/image must be (object|null)/,
  },
];
