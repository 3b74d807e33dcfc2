/** Which check a delivery failed. Each maps to one HTTP status the handlers answer with. */
export type WebhookErrorCode =
  | 'missing_signature'
  | 'invalid_signature'
  | 'missing_header'
  | 'malformed_header'
  | 'unsupported_content_type'
  | 'body_too_large'
  | 'body_timeout'
  | 'body_incomplete'
  | 'invalid_json'
  | 'invalid_payload'
  | 'payload_mismatch'
  | 'replayed'
  | 'method_not_allowed';

const STATUS: Record<WebhookErrorCode, number> = {
  missing_signature: 401,
  invalid_signature: 401,
  missing_header: 400,
  malformed_header: 400,
  unsupported_content_type: 415,
  body_too_large: 413,
  body_timeout: 408,
  body_incomplete: 400,
  invalid_json: 400,
  invalid_payload: 400,
  payload_mismatch: 400,
  replayed: 409,
  method_not_allowed: 405,
};

/**
 * A delivery was refused. `code` says which check failed, `status` is the HTTP answer for it. Messages name the
 * header or limit at fault and never contain a secret, a signature or the body.
 */
export class WebhookError extends Error {
  readonly code: WebhookErrorCode;
  readonly status: number;

  constructor(code: WebhookErrorCode, message: string) {
    super(message);
    this.name = 'WebhookError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export function isWebhookError(err: unknown): err is WebhookError {
  return err instanceof WebhookError;
}
