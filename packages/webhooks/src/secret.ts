/**
 * WordPress's `wp_specialchars_decode( $secret, ENT_QUOTES )`, which WooCommerce applies to a webhook's stored
 * secret before it signs (`WC_Webhook::generate_signature`). A secret saved through a form can be stored
 * entity-encoded, so a verifier must decode the same way, quirks included:
 * - only `& < > " '` are decoded, and only from these spellings: `&amp; &#38; &#x26; &lt; &#60; &gt; &#62;
 *   &quot; &#34; &#x22; &#39; &#x27;` (decimal forms with any number of leading zeros, hex `x`/`X`);
 * - named entities are case-sensitive (`&AMP;` stays), `&apos;` stays, and `&#x3C;` / `&#x3E;` stay (WordPress
 *   lists no hex form for `<` and `>`);
 * - one pass only: `&amp;lt;` becomes `&lt;`, not `<`.
 */
const ZERO_PADDED: ReadonlyArray<readonly [RegExp, string]> = [
  [/&#0*39;/g, '&#039;'],
  [/&#[xX]0*27;/g, '&#x27;'],
  [/&#0*34;/g, '&#034;'],
  [/&#[xX]0*22;/g, '&#x22;'],
  [/&#0*60;/g, '&#060;'],
  [/&#0*62;/g, '&#062;'],
  [/&#0*38;/g, '&#038;'],
  [/&#[xX]0*26;/g, '&#x26;'],
];

const TRANSLATION: Readonly<Record<string, string>> = {
  '&#039;': "'",
  '&#x27;': "'",
  '&quot;': '"',
  '&#034;': '"',
  '&#x22;': '"',
  '&lt;': '<',
  '&#060;': '<',
  '&gt;': '>',
  '&#062;': '>',
  '&amp;': '&',
  '&#038;': '&',
  '&#x26;': '&',
};
// No key is a prefix of another (all end in `;`), so one left-to-right alternation equals PHP's strtr().
const TRANSLATION_RE = new RegExp(Object.keys(TRANSLATION).join('|'), 'g');

export function wpSpecialcharsDecode(text: string): string {
  if (!text.includes('&')) return text;
  let out = text;
  for (const [re, canonical] of ZERO_PADDED) out = out.replace(re, canonical);
  return out.replace(TRANSLATION_RE, (m) => TRANSLATION[m] ?? m);
}
