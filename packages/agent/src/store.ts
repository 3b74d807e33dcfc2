// The store an agent works on: URL, key and secret from the environment or the policy file, and the
// @wooapi/client that every call goes through (auth, retries, typed errors).
import { createWooClient, type WooClient } from '@wooapi/client';

export interface Store {
  url: string;
  /** The host (and port) for audit lines: `shop.example.com`. */
  host: string;
  client: WooClient;
  /** The key and secret, for the audit's last-guard scrubbing; never sent anywhere else. */
  secrets: string[];
}

export interface StoreOptions {
  url?: string;
  key?: string;
  secret?: string;
  /** Extra client options (timeouts, fetch); tests and benches use them. */
  client?: Partial<Parameters<typeof createWooClient>[0]>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Environment first (`WOOCOMMERCE_URL`, `WOOCOMMERCE_KEY`, `WOOCOMMERCE_SECRET`), then the policy's `store`. Over
 * plain http the client signs with OAuth 1.0a, so the secret never travels; Basic is never used there.
 */
export function connectStore(
  fromPolicy: StoreOptions,
  env: NodeJS.ProcessEnv = process.env,
  where = 'the policy file',
): Store {
  const url = env.WOOCOMMERCE_URL || fromPolicy.url;
  const key = env.WOOCOMMERCE_KEY || fromPolicy.key;
  const secret = env.WOOCOMMERCE_SECRET || fromPolicy.secret;
  const missing = [
    !url && 'WOOCOMMERCE_URL',
    !key && 'WOOCOMMERCE_KEY',
    !secret && 'WOOCOMMERCE_SECRET',
  ].filter(Boolean);
  if (missing.length) {
    throw new Error(
      `no store to work on: set ${missing.join(', ')} in the environment (or store.url, store.key, store.secret in ${where})`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url as string);
  } catch {
    throw new Error(
      `the store URL ${JSON.stringify(url)} is not a URL: give the store root, e.g. https://shop.example.com`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`the store URL must be http(s), got ${parsed.protocol}`);
  if (parsed.username || parsed.password)
    throw new Error(
      'the store URL must not hold credentials: put the key and secret in WOOCOMMERCE_KEY/SECRET',
    );
  const client = createWooClient({
    url: parsed.href,
    consumerKey: key,
    consumerSecret: secret,
    ...(fromPolicy.client ?? {}),
  });
  return {
    url: parsed.href,
    host: LOOPBACK.has(parsed.hostname) || parsed.port ? parsed.host : parsed.hostname,
    client,
    secrets: [key as string, secret as string],
  };
}
