/** What an HTTP error response says in `error.code`; clients branch on it, people read `error.message`. */
export type HttpErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'not_ready'
  | 'internal_error';

const STATUS: Record<HttpErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  not_ready: 503,
  internal_error: 500,
};

/** An expected refusal inside a route; the server turns it into `{"error": {code, message}}` with its status. */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: HttpErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.status = STATUS[code];
    this.headers = headers;
  }
}
