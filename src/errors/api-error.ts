import { ERROR_CODES, type ErrorCode } from "./codes";

/** One invalid parameter of a validation error. */
export interface ParamError {
  param: string;
  message: string;
}

/**
 * The one error type of the API. Handlers and adapters throw it; the error handler turns
 * it into application/problem+json. `detail` is shown to the client: never put internals
 * (SQL, stack traces, secrets) in it.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: { errors?: ParamError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what: string) => new ApiError("not_found", what);

export const validationError = (errors: ParamError[]) =>
  new ApiError("validation_failed", errors.map((e) => `${e.param}: ${e.message}`).join("; "), { errors });
