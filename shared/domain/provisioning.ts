// The automatic side effects of licensing (R17–R19, R21) as a pure reconciliation: from a user's
// current licenses, what their mailbox, team site permission, Skype/Teams features and Office
// entitlement must be. Applying it twice changes nothing the second time, whatever the order of
// the events that asked for it.
import { findProduct, type ProvisioningKind } from "./catalog.js";
import type { AssignedLicense, MailboxType, User, UserProvisioning } from "./model.js";
import { ProblemError } from "./problem.js";
import { retainedUntil } from "./retention.js";

export const officeInstallLimit = 5;
/** Shared, room and resource mailboxes need a license only above this size (R21). */
export const unlicensedMailboxQuotaGB = 50;

/** A new user's starting point: shared, room and resource mailboxes exist without a license (R21). */
export function initialProvisioning(mailboxType: MailboxType, newId: () => string): UserProvisioning {
  return {
    mailbox:
      mailboxType === "User" ? { state: "None", sizeGB: 0 } : { state: "Active", dataId: newId(), sizeGB: 0 },
    teamSitePermission: "None",
    skypeForBusiness: false,
    teams: false,
    officeApps: false,
    officeInstalls: [],
    documents: "None",
  };
}

/** The provisioning kinds the user's licenses switch on. */
export function enabledKinds(licenses: readonly AssignedLicense[]): Set<ProvisioningKind> {
  const kinds = new Set<ProvisioningKind>();
  for (const license of licenses) {
    for (const plan of findProduct(license.skuId)?.servicePlans ?? []) {
      if (!license.disabledPlans.includes(plan.servicePlanId)) kinds.add(plan.provisioningKind);
    }
  }
  return kinds;
}

export interface ReconcileContext {
  readonly now: Date;
  readonly retentionPeriodMs: number;
  readonly newId: () => string;
}

/**
 * What taking licenses away does at once, in the same transaction as the license change (R18–R20):
 * a user mailbox no license provides any more is Retained from `now`, and the team-site permission,
 * Skype/Teams features and Office entitlement (with its installs) that no license enables go.
 * Giving (a new mailbox, access) is left to the worker's `reconcileProvisioning`, which finds
 * nothing of this to redo or undo.
 */
export function withdrawProvisioning(
  user: User,
  context: Pick<ReconcileContext, "now" | "retentionPeriodMs">,
): User {
  const kinds = enabledKinds(user.assignedLicenses);
  const current = user.provisioning;
  const mailbox =
    user.mailboxType === "User" &&
    current.mailbox.state === "Active" &&
    !mailboxProvider(user.assignedLicenses)
      ? {
          ...current.mailbox,
          state: "Retained" as const,
          retainedUntil: retainedUntil(context.now, context.retentionPeriodMs),
        }
      : current.mailbox;
  const officeApps = kinds.has("officeApps");
  const provisioning: UserProvisioning = {
    ...current,
    mailbox,
    teamSitePermission: kinds.has("sharePoint") ? current.teamSitePermission : "None",
    skypeForBusiness: current.skypeForBusiness && kinds.has("skypeForBusiness"),
    teams: current.teams && kinds.has("teams"),
    officeApps: current.officeApps && officeApps,
    officeInstalls: officeApps ? current.officeInstalls : [],
  };
  return { ...user, provisioning };
}

/** The user with provisioning brought in line with their licenses, and every enabled plan marked Success. */
export function reconcileProvisioning(user: User, context: ReconcileContext): User {
  const kinds = enabledKinds(user.assignedLicenses);
  const current = withdrawProvisioning(user, context).provisioning;
  let mailbox = current.mailbox;
  const providedBy = user.mailboxType === "User" ? mailboxProvider(user.assignedLicenses) : undefined;
  if (providedBy) {
    // A retention that has ended is over even before the sweep gets to it (R18).
    const expired =
      mailbox.state === "Retained" &&
      mailbox.retainedUntil !== undefined &&
      Date.parse(mailbox.retainedUntil) <= context.now.getTime();
    if (mailbox.state === "None" || mailbox.state === "Purged" || expired) {
      mailbox = { state: "Active", dataId: context.newId(), sizeGB: 0, providedBy };
    } else if (mailbox.state !== "Active" || mailbox.providedBy !== providedBy) {
      // Re-licensed within the retention window (or by another product): the same mailbox,
      // its data intact (R18).
      mailbox = {
        state: "Active",
        sizeGB: mailbox.sizeGB,
        providedBy,
        ...(mailbox.dataId ? { dataId: mailbox.dataId } : {}),
      };
    }
  }
  const officeApps = kinds.has("officeApps");
  const provisioning: UserProvisioning = {
    mailbox,
    // SharePoint documents stay where they are; only the permission follows the license (R18).
    teamSitePermission: kinds.has("sharePoint") ? "Edit" : "None",
    skypeForBusiness: kinds.has("skypeForBusiness"),
    teams: kinds.has("teams"),
    officeApps,
    officeInstalls: current.officeInstalls,
    documents: kinds.has("sharePoint") && current.documents === "None" ? "Kept" : current.documents,
  };
  // Every enabled plan is now applied, including one the record did not list yet.
  const assignedLicenses = user.assignedLicenses.map((license) => {
    const planStatus: Record<string, "Success"> = {};
    for (const plan of findProduct(license.skuId)?.servicePlans ?? []) {
      if (!license.disabledPlans.includes(plan.servicePlanId)) planStatus[plan.servicePlanId] = "Success";
    }
    return { ...license, planStatus };
  });
  return { ...user, assignedLicenses, provisioning };
}

/** The product of the first enabled mailbox plan among the user's licenses, if any. */
function mailboxProvider(licenses: readonly AssignedLicense[]): string | undefined {
  return licenses.find((license) =>
    findProduct(license.skuId)?.servicePlans.some(
      (plan) => plan.provisioningKind === "mailbox" && !license.disabledPlans.includes(plan.servicePlanId),
    ),
  )?.skuId;
}

/** A shared, room or resource mailbox over its free quota needs a license it lacks (R21). */
export function needsLicense(user: User): boolean {
  return (
    user.mailboxType !== "User" &&
    user.provisioning.mailbox.sizeGB > unlicensedMailboxQuotaGB &&
    !enabledKinds(user.assignedLicenses).has("mailbox")
  );
}

export function addOfficeInstall(
  user: User,
  install: { readonly deviceName: string; readonly platform: "Windows" | "Mac" },
  id: string,
  now: string,
): User {
  if (!enabledKinds(user.assignedLicenses).has("officeApps")) {
    throw new ProblemError(
      "Conflict",
      `${user.userPrincipalName} has no license that includes the Office apps; assign one first.`,
    );
  }
  const installs = user.provisioning.officeInstalls;
  if (installs.length >= officeInstallLimit) {
    throw new ProblemError(
      "OfficeInstallLimit",
      `${user.userPrincipalName} already has Office installed on ${officeInstallLimit} devices; remove one ` +
        "(DELETE /api/users/{id}/officeInstalls/{installId}) before installing on another.",
      installs.map((i) => ({ id: i.id, deviceName: i.deviceName, platform: i.platform })),
    );
  }
  return {
    ...user,
    provisioning: {
      ...user.provisioning,
      officeInstalls: [
        ...installs,
        { id, deviceName: install.deviceName, platform: install.platform, installedAt: now },
      ],
    },
  };
}
