import type { Erratum } from './types.js';

// Docs examples of the taxes, system status and data routes known to be wrong. Add one only with the reason and the
// error it must keep producing.
export const ERRATA: Erratum[] = [
  {
    index: 177,
    method: 'GET',
    route: '/system_status',
    kind: 'response',
    reason:
      'The docs (written for WooCommerce 3.0) show `database.database_tables` as a flat map of table name to `true`; ' +
      'since 3.4 WooCommerce sends `{woocommerce: {<table>: {data, index, engine} | false}, other: {...}}`.',
    failsWith: /\/database\/database_tables must have required property 'woocommerce'/,
  },
];
