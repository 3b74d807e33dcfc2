/** URL helpers shared by the auth and the transport: credential parameters in query strings. */

/** A URL (or Link header) that may carry credentials in its query. */
export const CREDENTIAL = /oauth_|consumer_(key|secret)/i;

/** Remove credential parameters from a URL's query string (an earlier signature, or echoed credentials). */
export function stripCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !CREDENTIAL.test(url)) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => !/^(oauth_[a-z_]+|consumer_key|consumer_secret)(=|$)/i.test(p));
  return url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
}
