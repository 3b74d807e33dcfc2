import { describe, expect, it } from 'vitest';
import { wpSpecialcharsDecode } from '../src/secret.js';

// Expected values read off WordPress's wp_specialchars_decode( $s, ENT_QUOTES ) (wp-includes/formatting.php).
describe('wpSpecialcharsDecode (WordPress, ENT_QUOTES)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['&amp;&lt;&gt;&quot;&#039;', `&<>"'`],
    ['&#39; &#x27; &#X27; &#0039; &#x0027; &#000000039;', "' ' ' ' ' '"],
    ['&#34; &#034; &#x22; &#X0022;', '" " " "'],
    ['&#38; &#038; &#x26; &#60; &#62;', '& & & < >'],
    ['&amp;amp; &amp;lt;', '&amp; &lt;'], // one pass only
    ['&apos; &AMP; &LT; &#x3C; &#x3E; &nbsp;', '&apos; &AMP; &LT; &#x3C; &#x3E; &nbsp;'], // not in its table
    ['a & b &amp c', 'a & b &amp c'], // bare and unterminated ampersands stay
    ['&&amp;;', '&&;'],
    ['sécret&amp;ключ', 'sécret&ключ'],
  ])('%j -> %j', (input, expected) => {
    expect(wpSpecialcharsDecode(input)).toBe(expected);
  });
});
