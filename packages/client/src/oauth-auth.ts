/**
 * What the client loads on its first OAuth request (`import()` in auth.ts): the signer alone. A chunk an app
 * bundler makes from a dynamic import keeps every export of the module imported, so the client imports this one,
 * not oauth.ts, whose other exports (the signer for any URL, the PHP query parser, the base string) stay out of it.
 */
export { oauthAuth } from './oauth.js';
