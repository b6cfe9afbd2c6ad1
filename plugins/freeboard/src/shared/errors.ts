import { isError, ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed request: for backend errors the server's
 * own message (e.g. `amount: must be at most 100`), which names the field at
 * fault, rather than the generic "Request failed with 400".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError || isResponseErrorLike(error)) {
    return error.cause?.message || error.message;
  }
  return isError(error) ? error.message : String(error);
}

/** A ResponseError from another copy of `@backstage/errors`. */
function isResponseErrorLike(
  error: unknown,
): error is { message: string; cause?: { message?: string } } {
  return isError(error) && error.name === 'ResponseError';
}
