// One user record for the pure domain tests: a member with a user mailbox not yet provisioned.
import type { User } from "../../shared/domain/model.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import { emptyProfile } from "../../shared/domain/user-profile.js";

export const testUserId = "5f1c2a4e-8d3b-4a61-9f0e-2b7c6d5e4f30";
const testUserCreatedAt = "2024-01-10T09:00:00.000Z";

export function testUser(overrides: Partial<User> = {}): User {
  return {
    id: testUserId,
    userPrincipalName: "adele.vance@contoso.example",
    displayName: "Adele Vance",
    accountEnabled: true,
    mailNickname: null,
    profile: emptyProfile,
    usageLocation: null,
    userType: "Member",
    mailboxType: "User",
    assignedLicenses: [],
    provisioning: initialProvisioning("User", () => "unused"),
    litigationHold: false,
    createdAt: testUserCreatedAt,
    ...overrides,
  };
}
