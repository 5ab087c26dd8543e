// How every change of a group runs: serialised per tenant in this process, on the group read fresh
// (a missing one is NotFound), retried from the read when another writer wins.
import { retryOnConflict } from "../../concurrency/retry-on-conflict.js";
import type { Actor, Group } from "../../domain/model.js";
import { notFound } from "../../domain/problem.js";
import type { Deps } from "../deps.js";
import type { Versioned } from "../ports.js";

export function changeGroup<T>(
  deps: Deps,
  actor: Actor,
  groupId: string,
  change: (found: Versioned<Group>, at: string) => Promise<T>,
): Promise<T> {
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(actor.tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getGroup(actor.tenantId, groupId.toLowerCase());
      if (!found) throw notFound(`Group ${groupId}`);
      return change(found, clock.now().toISOString());
    }),
  );
}
