// Users written straight into storage, 50 to a transaction (a user is two rows), for the tests that
// are about what happens to many users rather than about creating them: `Bulk 001`,
// `bulk001@contoso.example`, … (or the prefix given).
import { randomUUID } from "node:crypto";
import type { User } from "../../shared/domain/model.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import type { TestApp } from "./test-app.js";
import { testUser } from "./users.js";

export async function arrangeUsers(
  app: TestApp,
  tenantId: string,
  count: number,
  prefix = "Bulk",
): Promise<User[]> {
  const now = new Date().toISOString();
  const users: User[] = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return testUser({
      id: randomUUID(),
      userPrincipalName: `${prefix.toLowerCase()}${n}@contoso.example`,
      displayName: `${prefix} ${n}`,
      provisioning: initialProvisioning("User", randomUUID),
      createdAt: now,
    });
  });
  const { store } = app.services.deps;
  for (let i = 0; i < users.length; i += 50) {
    await store.commit(
      tenantId,
      users.slice(i, i + 50).map((user) => ({ kind: "createUser" as const, user })),
    );
  }
  return users;
}
