// Before a commit that starts a retention, index it by due time, so the sweep can find it without
// scanning tenants. An entry whose commit then fails is found stale by the sweep and dropped.
import type { User } from "../../domain/model.js";
import { retentionEntries } from "../../domain/retention.js";
import type { RetentionIndexPort } from "../ports.js";

export async function scheduleRetention(
  index: RetentionIndexPort,
  tenantId: string,
  changes: readonly { readonly before: User | undefined; readonly after: User }[],
): Promise<void> {
  const added = changes.flatMap(({ before, after }) => {
    const known = new Set(before ? retentionEntries(tenantId, before).map((e) => `${e.kind}|${e.due}`) : []);
    return retentionEntries(tenantId, after).filter((e) => !known.has(`${e.kind}|${e.due}`));
  });
  await index.scheduleRetention(added);
}
