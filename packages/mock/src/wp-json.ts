/**
 * WordPress's `wp_json_encode($value)` with default flags, which WooCommerce uses for a webhook body (then `trim()`,
 * a no-op on JSON). It differs from `JSON.stringify` in the bytes, and the signature covers the bytes:
 * - `/` is escaped as `\/`;
 * - every character above U+007F is escaped as `\uXXXX` (lower-case hex, astral characters as a surrogate pair), so the
 *   body is pure ASCII; control characters as `JSON.stringify` escapes them, DEL (U+007F) as is;
 * - a float prints as PHP's `serialize_precision = -1` does: the shortest round-trip digits, in exponent form
 *   (`1.0e+25`, `1.0e-5`) outside 0.0001 <= |x| < 1e17, `-0` for negative zero.
 * An integer-valued number is written as a PHP integer (`1`, never `1.0`): PHP's own floats with an integral value
 * print that way too (without JSON_PRESERVE_ZERO_FRACTION), so the bytes agree either way below 1e17.
 */
export function wpJsonEncode(value: unknown): string {
  const out = encode(value, '$');
  if (out === undefined)
    throw new TypeError('wpJsonEncode: the value is not JSON (undefined or a function).');
  return out;
}

function encode(value: unknown, at: string): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return encodeNumber(value, at);
    case 'bigint':
      return value.toString();
    case 'string':
      return encodeString(value, at);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => encode(v, `${at}[${i}]`) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const encoded = encode(v, `${at}.${k}`);
    if (encoded !== undefined) parts.push(`${encodeString(k, at)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function encodeString(s: string, at: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x2f) out += '\\/';
    else if (c >= 0x20 && c < 0x80) out += s[i];
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw loneSurrogate(at);
      out += hex4(c) + hex4(next);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw loneSurrogate(at);
    else out += hex4(c);
  }
  return `${out}"`;
}

function loneSurrogate(at: string): TypeError {
  return new TypeError(
    `wpJsonEncode: the string at ${at} holds a lone UTF-16 surrogate, which is not UTF-8 and which WordPress cannot encode.`,
  );
}

const INT64_MAX = 2 ** 63;

function encodeNumber(n: number, at: string): string {
  if (!Number.isFinite(n)) {
    throw new TypeError(`wpJsonEncode: the number at ${at} is ${n}; PHP's json_encode refuses Inf and NaN.`);
  }
  if (Object.is(n, -0)) return '-0';
  if (Number.isInteger(n) && Math.abs(n) < INT64_MAX) return BigInt(n).toString();
  // php_gcvt(value, 17, '.', 'e') over the shortest round-trip digits (zend_dtoa mode 0).
  const [mantissa, exp] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1; // value = 0.DIGITS x 10^decpt
  const sign = n < 0 ? '-' : '';
  if (decpt < -3 || decpt > 17) {
    const e = decpt - 1;
    return `${sign}${digits[0]}.${digits.slice(1) || '0'}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  const whole = digits.slice(0, decpt).padEnd(decpt, '0');
  const frac = digits.slice(decpt);
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}
