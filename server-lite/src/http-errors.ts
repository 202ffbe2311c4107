/** An error whose status, code and message are safe to send to the client as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthorized = (message = 'authentication required') =>
  new HttpError(401, 'unauthorized', message);
export const notFound = (message = 'not found') => new HttpError(404, 'not-found', message);
export const badRequest = (message: string) => new HttpError(400, 'bad-request', message);
export const tooManyRequests = (retryAfterSec: number, message = 'too many requests; slow down') =>
  new HttpError(429, 'rate-limited', message, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSec))),
  });
