#!/usr/bin/env bash
# Regenerates vectors.json: signatures computed without our code, the way WooCommerce computes them.
#   body      = PHP's json_encode (what wp_json_encode() calls, default flags: `\/` and `\u00e9` escapes), trimmed
#   key       = the stored secret through a PHP port of WordPress's wp_specialchars_decode($s, ENT_QUOTES)
#               (written from wp-includes/formatting.php: zero-padded numeric forms normalised, then one strtr pass);
#               PHP's own htmlspecialchars_decode(ENT_QUOTES) is recorded beside it for comparison
#   signature = base64(HMAC-SHA256(body, key)) from `openssl dgst`
# Needs php-cli (Debian: apt-get install php-cli) and openssl. Tests read vectors.json only: CI needs neither.
set -euo pipefail
cd "$(dirname "$0")"
command -v php >/dev/null || { echo "make-vectors.sh: php is required (apt-get install php-cli)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "make-vectors.sh: openssl is required" >&2; exit 1; }

php -d display_errors=stderr <<'PHP' > cases.tmp.json
<?php
function wp_decode_port(string $s): string {
  if ($s === '' || strpos($s, '&') === false) return $s;
  $pad = [
    '/&#0*39;/' => '&#039;', '/&#x0*27;/i' => '&#x27;', '/&#0*34;/' => '&#034;', '/&#x0*22;/i' => '&#x22;',
    '/&#0*60;/' => '&#060;', '/&#0*62;/' => '&#062;', '/&#0*38;/' => '&#038;', '/&#x0*26;/i' => '&#x26;',
  ];
  $s = preg_replace(array_keys($pad), array_values($pad), $s);
  return strtr($s, [
    '&#039;' => "'", '&#x27;' => "'", '&quot;' => '"', '&#034;' => '"', '&#x22;' => '"',
    '&lt;' => '<', '&#060;' => '<', '&gt;' => '>', '&#062;' => '>', '&amp;' => '&', '&#038;' => '&', '&#x26;' => '&',
  ]);
}
$secrets = [
  'plain' => 'my-super-secret-private-key',
  'special characters' => "a&b<c>d\"e'f",
  'entity-encoded special characters' => 'a&amp;b&lt;c&gt;d&quot;e&#039;f',
  'quote spellings' => 'q&#39;&#x27;&#X27;&#0039;&#x0027;&#34;&#x22;&quot;',
  'zero-padded numeric' => '&#00038;&#060;&#00062;&#x0026;',
  'double-encoded' => 'x&amp;amp;y&amp;lt;z',
  'left alone by WordPress' => '&apos;&AMP;&#x3C;&#x3E;&nbsp;&copy;',
  'bare ampersand' => 'tom & jerry &amp',
  'non-ASCII' => 'sécret-ключ-秘密-🔑',
  'non-ASCII entity-encoded' => 'sécret&amp;ключ&#039;🔑',
  'woocommerce generated' => 'wc_secret_0b9a7f0a3c6e4d2f8e1b5c7a9d3f1e2b',
];
$product = [
  'id' => 794, 'name' => 'Café "Noir" <Premium>', 'slug' => 'cafe-noir',
  'permalink' => 'https://example.com/product/cafe-noir/', 'price' => '19.99',
  'description' => "<p>Crème brûlée & l'été — 100% arabica ☕ 🍰</p>\n",
  'categories' => [['id' => 9, 'name' => 'Boissons', 'slug' => 'boissons']],
  'meta_data' => [['id' => 1, 'key' => '_path', 'value' => 'C:\\shop\\a/b']],
  '_links' => ['self' => [['href' => 'https://example.com/wp-json/wc/v3/products/794']]],
];
$bodies = [
  'product, wp_json_encode defaults' => trim(json_encode($product)),
  'product, JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_SLASHES' => trim(json_encode($product, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)),
  'deleted' => trim(json_encode(['id' => 794])),
  'action' => trim(json_encode(['action' => 'woocommerce_add_to_cart', 'arg' => 'e2c4f5b0a1d3'])),
];
$out = [];
foreach ($secrets as $sn => $secret) {
  foreach ($bodies as $bn => $body) {
    $out[] = [
      'name' => "$sn / $bn",
      'secret' => $secret,
      'key' => wp_decode_port($secret),
      'php_htmlspecialchars_decode' => htmlspecialchars_decode($secret, ENT_QUOTES),
      'body' => $body,
      'body_base64' => base64_encode($body),
    ];
  }
}
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT);
PHP

# Sign each case with openssl: the key as hex so any byte survives the command line.
node --input-type=module - <<'JS'
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
const cases = JSON.parse(readFileSync('cases.tmp.json', 'utf8'));
for (const c of cases) {
  const hexkey = Buffer.from(c.key, 'utf8').toString('hex');
  const body = Buffer.from(c.body_base64, 'base64');
  const mac = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${hexkey}`, '-binary'], { input: body });
  c.signature = mac.toString('base64');
}
const versions = {
  php: execFileSync('php', ['-r', 'echo PHP_VERSION;']).toString(),
  openssl: execFileSync('openssl', ['version']).toString().trim(),
};
writeFileSync('vectors.json', `${JSON.stringify({ generatedBy: 'test/vectors/make-vectors.sh', versions, cases }, null, 2)}\n`);
rmSync('cases.tmp.json');
console.log(`vectors.json: ${cases.length} cases`);
JS
