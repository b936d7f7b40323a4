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
    readonly options: { errors?: ParamError[]; errorsOmitted?: number; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what: string) => new ApiError("not_found", what);

/** A validation error lists at most this many parameters; the others are counted (`errors_omitted`). */
export const MAX_LISTED_ERRORS = 20;
/** Of those, `detail` names the first few (the full list is `errors`). */
const DETAIL_ERRORS = 3;
const MAX_PARAM_CHARS = 100;
const MAX_MESSAGE_CHARS = 1000;

/** A caller-supplied string as an error may echo it: at most `max` characters. */
export const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * A 400 naming the invalid parameters. Its size is bounded whatever the request: each
 * parameter once (repeats merged), at most MAX_LISTED_ERRORS of them, names and messages
 * (which may echo values) clipped; `detail` sums up the first few.
 */
export function validationError(all: ParamError[]): ApiError {
  const seen = new Set<string>();
  const unique: ParamError[] = [];
  for (const e of all) {
    const clipped = { param: clip(e.param, MAX_PARAM_CHARS), message: clip(e.message, MAX_MESSAGE_CHARS) };
    const id = `${clipped.param}\u0000${clipped.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push(clipped);
  }
  const errors = unique.slice(0, MAX_LISTED_ERRORS);
  const more = unique.length - DETAIL_ERRORS;
  const detail = errors.slice(0, DETAIL_ERRORS).map((e) => `${e.param}: ${e.message}`).join("; ") + (more > 0 ? `; and ${more} more (see errors)` : "");
  return new ApiError("validation_failed", detail, { errors, ...(unique.length > errors.length ? { errorsOmitted: unique.length - errors.length } : {}) });
}
