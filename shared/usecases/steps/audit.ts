// The audit line every change commits with (who, what, when, before/after).
import type { Actor } from "../../domain/model.js";
import type { Deps } from "../deps.js";
import type { TenantWrite } from "../ports.js";

export function auditWrite(
  deps: Pick<Deps, "newId">,
  actor: Actor,
  at: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): TenantWrite {
  return {
    kind: "audit",
    record: { id: deps.newId(), at, actorId: actor.objectId, action, target, before, after },
  };
}
