// A message that can never succeed (it does not validate, or names what does not exist): the queue
// runner dead-letters it with this reason instead of retrying it.

export class DeadLetterError extends Error {
  override readonly name = "DeadLetterError";

  constructor(
    readonly reason: string,
    readonly description: string,
  ) {
    super(`${reason}: ${description}`);
  }
}
