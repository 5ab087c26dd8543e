// The outbox sweep (R17): send the events a crash left in the outbox between commit and send.
import type { Deps } from "./deps.js";

export function sweepOutbox(deps: Deps): Promise<{ readonly tenants: number; readonly sent: number }> {
  return deps.outbox.sweep();
}
