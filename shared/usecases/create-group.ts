// Create a security group (issue 19), with its first members when Graph's members@odata.bind names
// them (all checked before any is added).
import type { Actor, Group } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { changeMembers } from "./group-licenses.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { getGroup } from "./read-groups.js";
import { auditWrite } from "./steps/audit.js";
import { type MemberReference, newMemberIds } from "./steps/new-members.js";
import { writtenVersion } from "./steps/versions.js";

export interface CreateGroupInput {
  readonly displayName: string;
  readonly mailNickname: string;
  readonly description?: string | null | undefined;
  readonly members?: readonly MemberReference[] | undefined;
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
    assignedLicenses: [],
    licenseVersion: 0,
    licensesReachGuests: false,
  };
  const memberIds = await newMemberIds(deps, actor.tenantId, group.id, input.members ?? []);
  // A new id: nothing can conflict, so there is nothing to retry.
  const write: TenantWrite = { kind: "createGroup", group };
  const versions = await store.commit(actor.tenantId, [
    write,
    auditWrite(deps, actor, group.createdAt, "createGroup", `group/${group.id}`, null, group),
  ]);
  if (memberIds.length === 0) return { value: group, etag: writtenVersion(versions, write) };
  // The first members join as any member does (their memberships are part of their record).
  await changeMembers(deps, actor, group.id, memberIds, true);
  return getGroup(deps, actor.tenantId, group.id);
}
