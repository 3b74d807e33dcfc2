import {
  type FetchWebhookHandler,
  makeFetchHandler,
  makeProcess,
  type ProcessWebhook,
  type WebhookHandlerOptions,
} from './handler.js';
import type { HmacEngine } from './hmac/types.js';
import { makeParse, type ParseWebhook } from './parse.js';
import { makeSign, makeVerify, type SignWebhookBody, type VerifyWebhookSignature } from './verify.js';

export interface WebhooksApi {
  verifyWebhookSignature: VerifyWebhookSignature;
  signWebhookBody: SignWebhookBody;
  parseWebhook: ParseWebhook;
  createWebhookHandler: (options: WebhookHandlerOptions) => FetchWebhookHandler;
  createWebhookProcessor: (options: WebhookHandlerOptions) => ProcessWebhook;
}

/** The whole API over one HMAC engine: the entry points differ only in the engine they pass. */
export function bind(engine: HmacEngine): WebhooksApi {
  const verifyWebhookSignature = makeVerify(engine);
  const parseWebhook = makeParse(verifyWebhookSignature);
  return {
    verifyWebhookSignature,
    signWebhookBody: makeSign(engine),
    parseWebhook,
    createWebhookHandler: (options) => makeFetchHandler(parseWebhook, options),
    createWebhookProcessor: (options) => makeProcess(parseWebhook, options),
  };
}
