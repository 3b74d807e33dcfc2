// `@wooapi/client` inside a workerd Worker: POST /run with the store's URLs (and the recorded OAuth requests) runs the
// client cases of check/cases.mjs in the Worker and answers their outcomes; the Node driver (scripts/workerd.mjs)
// holds the expectations. Bundled by esbuild with workerd's export conditions.
import * as client from '@wooapi/client';
import * as oauth from '@wooapi/client/oauth';
import { clientCases, oauthVectors } from '../check/cases.mjs';

export default {
  async fetch(request) {
    const { url, otherUrl, refusedUrl, examples } = await request.json();
    const outcomes = {};
    for (const c of clientCases({ client, url, otherUrl, refusedUrl, runtime: 'workerd' })) {
      try {
        outcomes[c.name] = await c.run();
      } catch (e) {
        outcomes[c.name] = { thrown: String(e?.stack ?? e) };
      }
    }
    outcomes.vectors = await oauthVectors(oauth, examples).catch((e) => ({ thrown: String(e?.stack ?? e) }));
    return Response.json(outcomes);
  },
};
