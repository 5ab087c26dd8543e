// The one list of the app's functions: main.ts registers them with the Functions host, and the
// local host serves the same list, so nothing can exist in one and be missing in the other.
import { type FunctionDefinition, withRoutePrefixes } from "../shared/function-definition.js";
import { addGroupMember } from "./add-group-member.js";
import { assignGroupLicense } from "./assign-group-license.js";
import { assignLicense } from "./assign-license.js";
import { assignProductUsers } from "./assign-product-users.js";
import { batch } from "./batch.js";
import { bulkWatchdog } from "./bulk-watchdog.js";
import { buySubscription } from "./buy-subscription.js";
import { adminConsole } from "./console.js";
import { consoleConfig } from "./console-config.js";
import { countUsers } from "./count-users.js";
import { createGroup } from "./create-group.js";
import { createUser } from "./create-user.js";
import { deleteGroup } from "./delete-group.js";
import { deleteUser } from "./delete-user.js";
import { getGroup } from "./get-group.js";
import { getJob } from "./get-job.js";
import { getLicenseDetails } from "./get-license-details.js";
import { getLicenseDetailsItem } from "./get-license-details-item.js";
import { getMailbox } from "./get-mailbox.js";
import { getProvisioning } from "./get-provisioning.js";
import { getSubscribedSku } from "./get-subscribed-sku.js";
import { getSubscription } from "./get-subscription.js";
import { getUser } from "./get-user.js";
import { health } from "./health.js";
import { installOffice } from "./install-office.js";
import { listGroupMembers } from "./list-group-members.js";
import { listGroups } from "./list-groups.js";
import { listJobs } from "./list-jobs.js";
import { listMemberOf } from "./list-member-of.js";
import { listMembersWithLicenseErrors } from "./list-members-with-license-errors.js";
import { listOrganization } from "./list-organization.js";
import { listRejectedEvents } from "./list-rejected-events.js";
import { listSkus } from "./list-skus.js";
import { listSubscribedSkus } from "./list-subscribed-skus.js";
import { listSubscriptions } from "./list-subscriptions.js";
import { listUsers } from "./list-users.js";
import { openApi } from "./open-api.js";
import { outboxSweep } from "./outbox-sweep.js";
import { provisioningWorker } from "./provisioning-worker.js";
import { removeGroupMember } from "./remove-group-member.js";
import { removeOfficeInstall } from "./remove-office-install.js";
import { reprocessLicenseAssignment } from "./reprocess-license-assignment.js";
import { restoreUser } from "./restore-user.js";
import { retentionSweep } from "./retention-sweep.js";
import { retryJob } from "./retry-job.js";
import { submitBulk } from "./submit-bulk.js";
import { takeOverSubscription } from "./take-over-subscription.js";
import { unassignProductUsers } from "./unassign-product-users.js";
import { updateGroup } from "./update-group.js";
import { updateOrganization } from "./update-organization.js";
import { updateSubscription } from "./update-subscription.js";
import { updateUser } from "./update-user.js";

// Each HTTP function is listed once and served under each of its route prefixes (/api, /v1.0).
export const functions: readonly FunctionDefinition[] = withRoutePrefixes([
  health,
  openApi,
  listSkus,
  listSubscribedSkus,
  getSubscribedSku,
  listSubscriptions,
  getSubscription,
  buySubscription,
  updateSubscription,
  takeOverSubscription,
  createUser,
  listUsers,
  // Before getUser: the literal users/$count wins over users/{id}.
  countUsers,
  getUser,
  deleteUser,
  assignLicense,
  getLicenseDetails,
  getLicenseDetailsItem,
  getMailbox,
  getProvisioning,
  installOffice,
  removeOfficeInstall,
  provisioningWorker,
  outboxSweep,
  updateUser,
  restoreUser,
  retentionSweep,
  submitBulk,
  getJob,
  retryJob,
  bulkWatchdog,
  listRejectedEvents,
  assignProductUsers,
  unassignProductUsers,
  createGroup,
  listGroups,
  getGroup,
  updateGroup,
  deleteGroup,
  addGroupMember,
  removeGroupMember,
  listGroupMembers,
  listJobs,
  assignGroupLicense,
  listMembersWithLicenseErrors,
  reprocessLicenseAssignment,
  listMemberOf,
  listOrganization,
  updateOrganization,
  batch(() => functions),
  consoleConfig,
  // The catch-all console route: every path that no API route serves (functions/console.ts).
  adminConsole,
]);
