/**
 * The APIs the mock can serve: each one a document of @wooapi/spec and the prefix the store serves it under.
 * `wc-v3` is the default everywhere; `legacy-v2` is the legacy API of the WooCommerce Legacy REST API plugin.
 */
export type MockApi = 'wc-v3' | 'legacy-v2';

export const MOCK_APIS: Record<MockApi, { prefix: string; bundle: string }> = {
  'wc-v3': { prefix: '/wp-json/wc/v3', bundle: '@wooapi/spec/openapi.json' },
  'legacy-v2': { prefix: '/wc-api/v2', bundle: '@wooapi/spec/legacy-v2.json' },
};

/** The entry of `api`; a clear error for anything else. */
export function mockApi(api: unknown = 'wc-v3'): { name: MockApi; prefix: string; bundle: string } {
  if (typeof api !== 'string' || !Object.hasOwn(MOCK_APIS, api)) {
    throw new Error(`api must be one of ${Object.keys(MOCK_APIS).join(', ')}; got ${JSON.stringify(api)}`);
  }
  return { name: api as MockApi, ...MOCK_APIS[api as MockApi] };
}
