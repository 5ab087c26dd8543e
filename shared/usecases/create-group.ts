// Create a security group (issue 19); licenses on groups come in a later step.
import type { Actor, Group } from "../domain/model.js";
import type { Deps } from "./deps.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { writtenVersion } from "./steps/versions.js";

export interface CreateGroupInput {
  readonly displayName: string;
  readonly mailNickname: string;
  readonly description?: string | null | undefined;
}

export async function createGroup(
  deps: Deps,
  actor: Actor,
  input: CreateGroupInput,
): Promise<Versioned<Group>> {
  const { store, clock } = deps;
  const group: Group = {
    id: deps.newId(),
    displayName: input.displayName,
    mailNickname: input.mailNickname,
    description: input.description ?? null,
    createdAt: clock.now().toISOString(),
  };
  // A new id: nothing can conflict, so there is nothing to retry.
  const write: TenantWrite = { kind: "createGroup", group };
  const versions = await store.commit(actor.tenantId, [
    write,
    auditWrite(deps, actor, group.createdAt, "createGroup", `group/${group.id}`, null, group),
  ]);
  return { value: group, etag: writtenVersion(versions, write) };
}
