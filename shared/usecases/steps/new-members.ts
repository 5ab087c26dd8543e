// The checks every way of adding members makes (POST members/$ref, PATCH members@odata.bind): each
// reference names an active user of the tenant who is not a member yet. Users only: Microsoft Entra
// ID passes no licenses through nested groups, so a group as a member is refused.
import { ProblemError } from "../../domain/problem.js";
import type { Deps } from "../deps.js";
import { resolveUserKey } from "../read-users.js";

/** Where an `@odata.id` points: the entity set its URL names and the key after it. */
export interface MemberReference {
  readonly set: "directoryObjects" | "users" | "groups";
  readonly key: string;
}

const nestedGroups = (key: string) =>
  new ProblemError(
    "ValidationFailed",
    `${key} is a group: only users can be members here. Nested groups are not supported, as Microsoft Entra ID passes no licenses through them.`,
    [{ path: "@odata.id", message: "names a group" }],
  );

/** Graph's answer to adding a member twice. */
const alreadyMember = (userId: string) =>
  new ProblemError(
    "ValidationFailed",
    `One or more added object references already exist for the following modified properties: 'members'. (User ${userId} is a member of the group already.)`,
    [{ path: "@odata.id", message: "already a member" }],
  );

/**
 * The user ids the references name, checked: a group is a 400, an unknown or deleted user a 404,
 * an existing member (or the same user twice) a 400, or left out when `existing` is "skip" (a
 * producer's event, which a redelivery repeats). Throws on the first that fails.
 */
export async function newMemberIds(
  deps: Deps,
  tenantId: string,
  groupId: string,
  references: readonly MemberReference[],
  existing: "refuse" | "skip" = "refuse",
): Promise<string[]> {
  const ids: string[] = [];
  for (const reference of references) {
    if (reference.set === "groups") throw nestedGroups(reference.key);
    const userId = await resolveUserKey(deps, tenantId, reference.key).catch(async (error: unknown) => {
      if (await deps.store.getGroup(tenantId, reference.key.toLowerCase())) throw nestedGroups(reference.key);
      throw error;
    });
    const user = await deps.store.getUser(tenantId, userId);
    if (!user || user.value.deletedAt) {
      if (await deps.store.getGroup(tenantId, userId)) throw nestedGroups(reference.key);
      throw new ProblemError("NotFound", `User ${reference.key} was not found.`);
    }
    if (ids.includes(userId) || (await deps.store.isMember(tenantId, groupId, userId))) {
      if (existing === "skip") continue;
      throw alreadyMember(userId);
    }
    ids.push(userId);
  }
  return ids;
}
