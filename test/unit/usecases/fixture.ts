// What the use-case tests share: one tenant on in-memory ports, a frozen clock, deterministic ids,
// and small helpers to seed it through the use cases themselves.
import { expect } from "vitest";
import type { Actor, User } from "../../../shared/domain/model.js";
import { ProblemError } from "../../../shared/domain/problem.js";
import { buySubscription } from "../../../shared/usecases/buy-subscription.js";
import { type CreateUserInput, createUser } from "../../../shared/usecases/create-user.js";
import { inMemoryDeps } from "../../support/in-memory-ports.js";
import { FrozenClock } from "../../support/test-clock.js";

export const tenantId = "11111111-1111-4111-8111-111111111111";
export const admin: Actor = { tenantId, objectId: "admin", roles: ["GlobalAdministrator"] };

/** A tenant on in-memory ports at 2024-03-01 12:00 UTC, its clock standing still. */
export function world() {
  const clock = new FrozenClock("2024-03-01T12:00:00.000Z");
  return { ...inMemoryDeps(clock), clock };
}
export type World = ReturnType<typeof world>;

export async function buySeats(w: World, skuId: string, seats: number) {
  return (await buySubscription(w.deps, admin, { skuId, seats, purchaseChannel: "Admin" })).value;
}

/** Creates user `name` through createUser, with the given licenses. */
export async function addUser(
  w: World,
  name: string,
  licenses: readonly string[] = [],
  more: Partial<CreateUserInput> = {},
): Promise<User> {
  const created = await createUser(w.deps, admin, {
    userPrincipalName: `${name}@contoso.example`,
    displayName: name,
    userType: "Member",
    mailboxType: "User",
    licenses: licenses.map((skuId) => ({ skuId })),
    ...more,
  });
  return created.value;
}

/** The stored user (fails the test when there is none). */
export async function stored(w: World, userId: string): Promise<User> {
  const found = await w.deps.store.getUser(tenantId, userId);
  if (!found) throw new Error(`no user ${userId}`);
  return found.value;
}

export async function consumed(w: World, skuId: string): Promise<number | undefined> {
  return (await w.deps.store.getLedger(tenantId, skuId))?.value.consumed;
}

/** Forgets the commits made so far, so a test sees only those of the step under test. */
export function clearCommits(w: World): void {
  w.records.commits.length = 0;
}

export async function expectProblem(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  expect(error).toMatchObject({ code });
}

export const kindsOf = (w: World, commit = 0): string[] =>
  (w.records.commits[commit]?.writes.map((write) => write.kind) ?? []).sort();
