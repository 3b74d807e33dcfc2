import type { Erratum } from './types.js';

// Docs examples of variations and attributes known to be wrong. Add one only with the reason and the error it must
// keep producing.
export const ERRATA: Erratum[] = [
  {
    index: 55,
    method: 'POST',
    route: '/products/{product_id}/variations',
    kind: 'response',
    reason:
      'The docs show the created variation with `status: true`; WooCommerce sends the post status as a string ' +
      '(`publish`), as its declared enum says and as the docs show for the same variation in #56.',
    failsWith: /\/status must be string/,
  },
];
