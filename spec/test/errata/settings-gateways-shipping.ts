import type { Erratum } from './types.js';

// Docs examples of settings, payment gateways, shipping methods and shipping zones known to be wrong. None so far:
// the docs leave out fields WooCommerce 11 sends (the zone method `id`, the gateways' admin fields), which the
// schemas keep optional, and show a `title` settings field type, which ShippingZoneMethodSetting.type allows (an
// open string). Add one only with the reason and the error it must keep producing.
export const ERRATA: Erratum[] = [];
