// A queue event the service will never apply: not a CloudEvent, of an unknown type, with invalid
// data, naming what does not exist, or a change the rules refuse. Use cases throw it; the trigger
// records it where the tenant can read it and completes the message, so it is never retried.
import type { ProblemCode } from "./problem.js";

export type RejectionCode =
  | "InvalidJson"
  | "InvalidCloudEvent"
  | "UnsupportedEventType"
  | "InvalidEventData"
  | ProblemCode;

export class EventRejected extends Error {
  override readonly name = "EventRejected";

  constructor(
    readonly code: RejectionCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}
