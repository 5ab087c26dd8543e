// The failures the service reports to its callers, as data: a stable code, an HTTP status and a
// detail the caller can act on. Only the HTTP layer turns them into RFC 9457 problem+json.

export type ProblemCode =
  | "ValidationFailed"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "Conflict"
  | "CountViolation"
  | "MutuallyExclusiveViolation"
  | "DependencyViolation"
  | "InvalidUsageLocation"
  | "ProhibitedInUsageLocationViolation"
  | "SelfServiceSubscription"
  | "GuestLicenseRequiresGlobalAdministrator"
  | "SeatsBelowAssigned"
  | "OfficeInstallLimit"
  | "PreconditionFailed"
  | "FailedDependency"
  | "PayloadTooLarge"
  | "RequestHeaderFieldsTooLarge"
  | "UnsupportedMediaType"
  | "TooManyRequests"
  | "ServiceUnavailable"
  | "Internal";

const statusOf: Record<ProblemCode, number> = {
  ValidationFailed: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  CountViolation: 409,
  MutuallyExclusiveViolation: 409,
  DependencyViolation: 409,
  // As Graph: a license the user's usage location rules out is the request's mistake (400).
  InvalidUsageLocation: 400,
  ProhibitedInUsageLocationViolation: 400,
  SelfServiceSubscription: 409,
  GuestLicenseRequiresGlobalAdministrator: 403,
  SeatsBelowAssigned: 409,
  OfficeInstallLimit: 409,
  PreconditionFailed: 412,
  FailedDependency: 424,
  PayloadTooLarge: 413,
  RequestHeaderFieldsTooLarge: 431,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  Internal: 500,
};

const titleOf: Record<ProblemCode, string> = {
  ValidationFailed: "The request is not valid",
  Unauthorized: "Authentication required",
  Forbidden: "Not allowed",
  NotFound: "Not found",
  MethodNotAllowed: "Method not allowed",
  Conflict: "Conflict",
  CountViolation: "Not enough licenses available",
  MutuallyExclusiveViolation: "Conflicting service plans",
  DependencyViolation: "A required service plan is missing",
  InvalidUsageLocation: "The user has no usage location",
  ProhibitedInUsageLocationViolation: "Service plan not sold in the usage location",
  SelfServiceSubscription: "Self-service subscription",
  GuestLicenseRequiresGlobalAdministrator: "Guest licenses need a Global Administrator",
  SeatsBelowAssigned: "Seats below assigned licenses",
  OfficeInstallLimit: "Office install limit reached",
  PreconditionFailed: "Precondition failed",
  FailedDependency: "A request it depends on failed",
  PayloadTooLarge: "Request body too large",
  RequestHeaderFieldsTooLarge: "Request headers too large",
  UnsupportedMediaType: "Unsupported media type",
  TooManyRequests: "Too many requests",
  ServiceUnavailable: "Service unavailable",
  Internal: "Internal error",
};

/** What a 503 (storage or queue unreachable) asks callers to wait before trying again. */
export const unavailableRetryAfterSeconds = 5;

/** One entry of a problem's `errors` list: a field error, or per-SKU seat figures. */
export type ProblemItem = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export class ProblemError extends Error {
  override readonly name = "ProblemError";
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: readonly ProblemItem[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Readonly<Record<string, string>>,
    /** What went wrong underneath (logged, never shown), e.g. the storage error behind a 503. */
    options?: { readonly cause?: unknown },
  ) {
    super(detail, options);
    this.status = statusOf[code];
    this.title = titleOf[code];
  }

  /**
   * 4xx detail is meant for the caller; 5xx detail is never shown, except a 503's: it is written
   * for the caller (what is unavailable, when to retry) and its cause stays in the log.
   */
  get expose(): boolean {
    return this.status < 500 || this.code === "ServiceUnavailable";
  }

  /** The caller's request cannot succeed as sent (a 4xx); a 5xx (storage down) may on a retry. */
  get isCallersMistake(): boolean {
    return this.status < 500 && this.code !== "TooManyRequests";
  }
}

export const notFound = (what: string): ProblemError =>
  new ProblemError("NotFound", `${what} was not found.`);

/** The problem codes answered with an HTTP status, for documenting each status's problems. */
export const problemCodesWithStatus = (status: number): ProblemCode[] =>
  (Object.keys(statusOf) as ProblemCode[]).filter((code) => statusOf[code] === status);
