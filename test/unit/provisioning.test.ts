// The side effects of licensing as a pure reconciliation (R17–R19, R21): mailbox, team site
// permission, Skype/Teams features, Office entitlement and installs, and the plans' status.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Product, type ProvisioningKind, plans, products } from "../../shared/domain/catalog.js";
import type {
  AssignedLicense,
  Mailbox,
  MailboxType,
  OfficeInstall,
  User,
  UserProvisioning,
} from "../../shared/domain/model.js";
import {
  addOfficeInstall,
  enabledKinds,
  initialProvisioning,
  needsLicense,
  officeInstallLimit,
  type ReconcileContext,
  reconcileProvisioning,
  unlicensedMailboxQuotaGB,
  withdrawProvisioning,
} from "../../shared/domain/provisioning.js";
import { productOf } from "../support/catalog-ids.js";
import { problemFrom } from "../support/problem.js";
import { testUser } from "../support/users.js";

const e3 = productOf("ENTERPRISEPACK"); // Office 365 E3: everything, Exchange Online (Plan 2)
const businessStandard = productOf("O365_BUSINESS_PREMIUM"); // Microsoft 365 Business Standard
const exchangePlan1 = productOf("EXCHANGESTANDARD"); // a mailbox and little else
const appsForBusiness = productOf("O365_BUSINESS"); // Office apps + OneDrive, no mailbox

const earlier = "2024-01-10T09:00:00.000Z";
const now = new Date("2024-06-01T12:00:00.000Z");
const thirtyDaysMs = 30 * 24 * 60 * 60 * 1000;

/** A newId that hands out data-1, data-2, ... and records how often it was asked. */
function idSource(prefix = "data"): { readonly newId: () => string; readonly calls: () => number } {
  let count = 0;
  return {
    newId: () => {
      count += 1;
      return `${prefix}-${count}`;
    },
    calls: () => count,
  };
}

function context(overrides: Partial<ReconcileContext> = {}): ReconcileContext {
  return { now, retentionPeriodMs: thirtyDaysMs, newId: idSource().newId, ...overrides };
}

function provisioning(overrides: Partial<UserProvisioning> = {}): UserProvisioning {
  return { ...initialProvisioning("User", () => "unused"), ...overrides };
}

const user = testUser;

/** A license as license-change leaves it: every enabled plan waiting for the worker. */
function held(product: Product, disabledPlans: readonly string[] = []): AssignedLicense {
  const planStatus = Object.fromEntries(
    product.servicePlans
      .filter((plan) => !disabledPlans.includes(plan.servicePlanId))
      .map((plan) => [plan.servicePlanId, "PendingProvisioning" as const]),
  );
  return { skuId: product.skuId, disabledPlans, assignedAt: earlier, planStatus };
}

function install(n: number): OfficeInstall {
  return {
    id: `install-${n}`,
    deviceName: `PC-${n}`,
    platform: n % 2 === 0 ? "Mac" : "Windows",
    installedAt: earlier,
  };
}

const installs = (count: number): OfficeInstall[] => Array.from({ length: count }, (_, i) => install(i + 1));

const activeMailbox = (overrides: Partial<Mailbox> = {}): Mailbox => ({
  state: "Active",
  dataId: "data-old",
  sizeGB: 12.5,
  providedBy: e3.skuId,
  ...overrides,
});

const retainedMailbox = (overrides: Partial<Mailbox> = {}): Mailbox => ({
  state: "Retained",
  dataId: "data-old",
  sizeGB: 12.5,
  providedBy: e3.skuId,
  retainedUntil: "2024-06-20T12:00:00.000Z",
  ...overrides,
});

const mailboxOf = (result: User): Mailbox => result.provisioning.mailbox;

describe("a new user's starting provisioning", () => {
  it("gives a user mailbox nothing at all, and asks for no id", () => {
    const ids = idSource();
    expect(initialProvisioning("User", ids.newId)).toEqual({
      mailbox: { state: "None", sizeGB: 0 },
      teamSitePermission: "None",
      skypeForBusiness: false,
      teams: false,
      officeApps: false,
      officeInstalls: [],
      documents: "None",
    });
    expect(ids.calls()).toBe(0);
  });

  it.each<MailboxType>(["Shared", "Room", "Resource"])(
    "gives a %s mailbox an Active, empty mailbox without a license (R21)",
    (mailboxType) => {
      const result = initialProvisioning(mailboxType, () => "data-shared");
      expect(result.mailbox).toEqual({ state: "Active", dataId: "data-shared", sizeGB: 0 });
      expect(result.teamSitePermission).toBe("None");
      expect(result.officeApps).toBe(false);
      expect(result.documents).toBe("None");
    },
  );
});

describe("the provisioning kinds a user's licenses switch on", () => {
  it("lists every kind of E3 when no plan is disabled", () => {
    expect([...enabledKinds([held(e3)])].sort()).toEqual(
      ["mailbox", "officeApps", "other", "sharePoint", "skypeForBusiness", "teams"].sort(),
    );
  });

  it("gives Apps for business the Office apps and OneDrive but no mailbox", () => {
    const kinds = enabledKinds([held(appsForBusiness)]);
    expect(kinds.has("officeApps")).toBe(true);
    expect(kinds.has("sharePoint")).toBe(true);
    expect(kinds.has("mailbox")).toBe(false);
    expect(kinds.has("teams")).toBe(false);
  });

  it("leaves out a kind whose only plan is disabled", () => {
    const kinds = enabledKinds([held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId])]);
    expect(kinds.has("mailbox")).toBe(false);
    expect(kinds.has("sharePoint")).toBe(true);
  });

  it("joins the kinds of several licenses, so a plan disabled in one counts if another enables it", () => {
    const kinds = enabledKinds([
      held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId, plans.OFFICESUBSCRIPTION.servicePlanId]),
      held(appsForBusiness),
    ]);
    expect(kinds.has("mailbox")).toBe(false);
    expect(kinds.has("officeApps")).toBe(true);
  });

  it("is empty without licenses and ignores a SKU the catalog does not know", () => {
    expect(enabledKinds([]).size).toBe(0);
    const unknown: AssignedLicense = {
      skuId: "00000000-0000-0000-0000-0000000000aa",
      disabledPlans: [],
      assignedAt: earlier,
      planStatus: {},
    };
    expect(enabledKinds([unknown]).size).toBe(0);
  });
});

describe("reconciling a user's mailbox (R17–R19)", () => {
  it("creates an Active, empty mailbox with a new dataId, provided by the licensed product", () => {
    const ids = idSource();
    const result = reconcileProvisioning(
      user({ assignedLicenses: [held(e3)] }),
      context({ newId: ids.newId }),
    );
    expect(mailboxOf(result)).toEqual({ state: "Active", dataId: "data-1", sizeGB: 0, providedBy: e3.skuId });
    expect(ids.calls()).toBe(1);
  });

  it("records the standalone Exchange Online product as the provider when it gives the mailbox", () => {
    const result = reconcileProvisioning(user({ assignedLicenses: [held(exchangePlan1)] }), context());
    expect(mailboxOf(result).state).toBe("Active");
    expect(mailboxOf(result).providedBy).toBe(exchangePlan1.skuId);
  });

  it("creates no mailbox for a license without a mailbox plan (Apps for business)", () => {
    const ids = idSource();
    const result = reconcileProvisioning(
      user({ assignedLicenses: [held(appsForBusiness)] }),
      context({ newId: ids.newId }),
    );
    expect(mailboxOf(result)).toEqual({ state: "None", sizeGB: 0 });
    expect(ids.calls()).toBe(0);
  });

  it("leaves an Active mailbox of the same product alone and asks for no new id", () => {
    const ids = idSource();
    const before = user({
      assignedLicenses: [held(e3)],
      provisioning: provisioning({ mailbox: activeMailbox() }),
    });
    const result = reconcileProvisioning(before, context({ newId: ids.newId }));
    expect(mailboxOf(result)).toEqual(activeMailbox());
    expect(ids.calls()).toBe(0);
  });

  it("retains the mailbox, data and size intact, until now + the retention period when the license goes", () => {
    const before = user({ provisioning: provisioning({ mailbox: activeMailbox() }) });
    const result = reconcileProvisioning(before, context());
    expect(mailboxOf(result)).toEqual({
      state: "Retained",
      dataId: "data-old",
      sizeGB: 12.5,
      providedBy: e3.skuId,
      retainedUntil: "2024-07-01T12:00:00.000Z",
    });
  });

  it("counts the retention from context.now with the configured period", () => {
    const before = user({ provisioning: provisioning({ mailbox: activeMailbox() }) });
    const result = reconcileProvisioning(
      before,
      context({ now: new Date("2024-02-28T23:30:00.000Z"), retentionPeriodMs: 2 * 60 * 60 * 1000 }),
    );
    expect(mailboxOf(result).retainedUntil).toBe("2024-02-29T01:30:00.000Z");
  });

  it("does not restart the retention of a mailbox that is already Retained", () => {
    const before = user({ provisioning: provisioning({ mailbox: retainedMailbox() }) });
    const later = new Date("2024-06-10T00:00:00.000Z");
    expect(mailboxOf(reconcileProvisioning(before, context({ now: later })))).toEqual(retainedMailbox());
  });

  it("gives a Retained mailbox back, Active with the same dataId and size, when re-licensed in time", () => {
    const ids = idSource();
    const before = user({
      assignedLicenses: [held(e3)],
      provisioning: provisioning({ mailbox: retainedMailbox() }),
    });
    const result = reconcileProvisioning(before, context({ newId: ids.newId }));
    expect(mailboxOf(result)).toEqual({
      state: "Active",
      dataId: "data-old",
      sizeGB: 12.5,
      providedBy: e3.skuId,
    });
    expect(mailboxOf(result)).not.toHaveProperty("retainedUntil");
    expect(ids.calls()).toBe(0);
  });

  it("gives an Inactive mailbox back, Active with the same dataId and size, when re-licensed", () => {
    const before = user({
      assignedLicenses: [held(businessStandard)],
      provisioning: provisioning({
        mailbox: { state: "Inactive", dataId: "data-old", sizeGB: 40, providedBy: e3.skuId },
      }),
    });
    expect(mailboxOf(reconcileProvisioning(before, context()))).toEqual({
      state: "Active",
      dataId: "data-old",
      sizeGB: 40,
      providedBy: businessStandard.skuId,
    });
  });

  it("gives a Purged mailbox that is re-licensed a new, empty mailbox: the old data is gone", () => {
    const ids = idSource("fresh");
    const before = user({
      assignedLicenses: [held(e3)],
      provisioning: provisioning({ mailbox: { state: "Purged", sizeGB: 0 } }),
    });
    const result = reconcileProvisioning(before, context({ newId: ids.newId }));
    expect(mailboxOf(result)).toEqual({
      state: "Active",
      dataId: "fresh-1",
      sizeGB: 0,
      providedBy: e3.skuId,
    });
  });

  it("keeps the same mailbox when another product takes over providing it", () => {
    const before = user({
      assignedLicenses: [held(exchangePlan1)],
      provisioning: provisioning({ mailbox: activeMailbox() }),
    });
    expect(mailboxOf(reconcileProvisioning(before, context()))).toEqual(
      activeMailbox({ providedBy: exchangePlan1.skuId }),
    );
  });

  it("counts a disabled mailbox plan as no mailbox: none is created", () => {
    const ids = idSource();
    const result = reconcileProvisioning(
      user({ assignedLicenses: [held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId])] }),
      context({ newId: ids.newId }),
    );
    expect(mailboxOf(result)).toEqual({ state: "None", sizeGB: 0 });
    expect(ids.calls()).toBe(0);
  });

  it("counts a disabled mailbox plan as no mailbox: an Active mailbox is Retained", () => {
    const before = user({
      assignedLicenses: [held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId])],
      provisioning: provisioning({ mailbox: activeMailbox() }),
    });
    const result = mailboxOf(reconcileProvisioning(before, context()));
    expect(result.state).toBe("Retained");
    expect(result.retainedUntil).toBe("2024-07-01T12:00:00.000Z");
  });

  it("takes the mailbox from the license whose mailbox plan is enabled, not one where it is disabled", () => {
    const before = user({
      assignedLicenses: [held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId]), held(exchangePlan1)],
      provisioning: provisioning({ mailbox: activeMailbox() }),
    });
    expect(mailboxOf(reconcileProvisioning(before, context()))).toEqual(
      activeMailbox({ providedBy: exchangePlan1.skuId }),
    );
  });

  // R18: "after 30 days it is deleted and cannot be recovered". The sweep runs some time after the
  // due time; a license assigned in between must not bring the expired data back.
  it("does not give back a Retained mailbox whose retention already ended when re-licensed", () => {
    const ids = idSource("fresh");
    const before = user({
      assignedLicenses: [held(e3)],
      provisioning: provisioning({ mailbox: retainedMailbox({ retainedUntil: "2024-05-31T12:00:00.000Z" }) }),
    });
    const result = mailboxOf(reconcileProvisioning(before, context({ newId: ids.newId })));
    expect(result.state).toBe("Active");
    expect(result.dataId).not.toBe("data-old");
  });

  describe.each<MailboxType>(["Shared", "Room", "Resource"])("a %s mailbox (R21)", (mailboxType) => {
    const unlicensed: Mailbox = { state: "Active", dataId: "data-shared", sizeGB: 61 };

    it("is not changed when a license with a mailbox plan is assigned", () => {
      const ids = idSource();
      const before = user({
        mailboxType,
        assignedLicenses: [held(exchangePlan1)],
        provisioning: provisioning({ mailbox: unlicensed }),
      });
      expect(mailboxOf(reconcileProvisioning(before, context({ newId: ids.newId })))).toEqual(unlicensed);
      expect(ids.calls()).toBe(0);
    });

    it("is not retained when its license goes", () => {
      const before = user({ mailboxType, provisioning: provisioning({ mailbox: activeMailbox() }) });
      expect(mailboxOf(reconcileProvisioning(before, context()))).toEqual(activeMailbox());
    });
  });
});

describe("reconciling SharePoint, Skype for Business, Teams and Office (R17, R18)", () => {
  it("switches on everything E3 includes", () => {
    const result = reconcileProvisioning(user({ assignedLicenses: [held(e3)] }), context());
    expect(result.provisioning).toMatchObject({
      teamSitePermission: "Edit",
      skypeForBusiness: true,
      teams: true,
      officeApps: true,
      documents: "Kept",
    });
  });

  it("gives a mailbox-only license none of the other features", () => {
    const result = reconcileProvisioning(user({ assignedLicenses: [held(exchangePlan1)] }), context());
    expect(result.provisioning).toMatchObject({
      teamSitePermission: "None",
      skypeForBusiness: false,
      teams: false,
      officeApps: false,
      documents: "None",
    });
  });

  it("grants no team site permission, and keeps no documents, when the SharePoint plan is disabled", () => {
    const result = reconcileProvisioning(
      user({ assignedLicenses: [held(e3, [plans.SHAREPOINTENTERPRISE.servicePlanId])] }),
      context(),
    );
    expect(result.provisioning.teamSitePermission).toBe("None");
    expect(result.provisioning.documents).toBe("None");
  });

  it("takes the team site permission away on unassignment but keeps the documents (R18)", () => {
    const before = user({
      provisioning: provisioning({ teamSitePermission: "Edit", documents: "Kept" }),
    });
    const result = reconcileProvisioning(before, context());
    expect(result.provisioning.teamSitePermission).toBe("None");
    expect(result.provisioning.documents).toBe("Kept");
  });

  it("follows the Skype for Business and Teams plans separately", () => {
    const withoutSkype = reconcileProvisioning(
      user({ assignedLicenses: [held(e3, [plans.MCOSTANDARD.servicePlanId])] }),
      context(),
    );
    expect(withoutSkype.provisioning.skypeForBusiness).toBe(false);
    expect(withoutSkype.provisioning.teams).toBe(true);

    const withoutTeams = reconcileProvisioning(
      user({
        assignedLicenses: [held(e3, [plans.TEAMS1.servicePlanId])],
        provisioning: provisioning({ skypeForBusiness: true, teams: true }),
      }),
      context(),
    );
    expect(withoutTeams.provisioning.skypeForBusiness).toBe(true);
    expect(withoutTeams.provisioning.teams).toBe(false);
  });

  it("keeps the Office installs while a license still includes the Office apps", () => {
    const before = user({
      assignedLicenses: [held(appsForBusiness)],
      provisioning: provisioning({ officeApps: true, officeInstalls: installs(3) }),
    });
    const result = reconcileProvisioning(before, context());
    expect(result.provisioning.officeApps).toBe(true);
    expect(result.provisioning.officeInstalls).toEqual(installs(3));
  });

  it("keeps the Office installs when one Office apps plan replaces another (E3 to Business Standard)", () => {
    const before = user({
      assignedLicenses: [held(businessStandard)],
      provisioning: provisioning({ officeApps: true, officeInstalls: installs(5) }),
    });
    expect(reconcileProvisioning(before, context()).provisioning.officeInstalls).toEqual(installs(5));
  });

  it("revokes every Office install when no license includes the Office apps any more", () => {
    const before = user({
      provisioning: provisioning({ officeApps: true, officeInstalls: installs(4) }),
    });
    const result = reconcileProvisioning(before, context());
    expect(result.provisioning.officeApps).toBe(false);
    expect(result.provisioning.officeInstalls).toEqual([]);
  });

  it("revokes the Office installs when the Office apps plan is disabled in the only license", () => {
    const before = user({
      assignedLicenses: [held(e3, [plans.OFFICESUBSCRIPTION.servicePlanId])],
      provisioning: provisioning({ officeApps: true, officeInstalls: installs(2) }),
    });
    const result = reconcileProvisioning(before, context());
    expect(result.provisioning.officeApps).toBe(false);
    expect(result.provisioning.officeInstalls).toEqual([]);
  });
});

describe("the plans' provisioning status after reconciling", () => {
  it("marks every enabled plan of every license Success, and leaves disabled plans out", () => {
    const disabled = [plans.SHAREPOINTENTERPRISE.servicePlanId, plans.SHAREPOINTWAC.servicePlanId];
    const errored: AssignedLicense = {
      ...held(exchangePlan1),
      planStatus: Object.fromEntries(
        exchangePlan1.servicePlans.map((plan) => [plan.servicePlanId, "Error" as const]),
      ),
    };
    const result = reconcileProvisioning(
      user({ assignedLicenses: [held(e3, disabled), errored] }),
      context(),
    );
    const [first, second] = result.assignedLicenses;
    expect(first?.planStatus).toEqual(
      Object.fromEntries(
        e3.servicePlans
          .filter((plan) => !disabled.includes(plan.servicePlanId))
          .map((plan) => [plan.servicePlanId, "Success"]),
      ),
    );
    expect(first?.disabledPlans).toEqual(disabled);
    expect(second?.planStatus).toEqual(
      Object.fromEntries(exchangePlan1.servicePlans.map((plan) => [plan.servicePlanId, "Success"])),
    );
  });

  it("keeps the licenses themselves as they were", () => {
    const licenses = [held(e3), held(appsForBusiness)];
    const result = reconcileProvisioning(user({ assignedLicenses: licenses }), context());
    expect(result.assignedLicenses.map(({ planStatus: _, ...rest }) => rest)).toEqual(
      licenses.map(({ planStatus: _, ...rest }) => rest),
    );
  });

  // model.ts: "a plan missing here is pending". reconcileProvisioning promises "every enabled plan
  // marked Success", but it only rewrites the keys already present.
  it("marks an enabled plan that planStatus does not list yet (pending) Success too", () => {
    const pending: AssignedLicense = { ...held(exchangePlan1), planStatus: {} };
    const result = reconcileProvisioning(user({ assignedLicenses: [pending] }), context());
    expect(result.assignedLicenses[0]?.planStatus).toEqual(
      Object.fromEntries(exchangePlan1.servicePlans.map((plan) => [plan.servicePlanId, "Success"])),
    );
  });
});

describe("reconciling again", () => {
  const mailboxTypeArbitrary = fc.constantFrom<MailboxType>("User", "Shared", "Room", "Resource");
  const licenseArbitrary = (product: Product): fc.Arbitrary<AssignedLicense> =>
    fc.subarray(product.servicePlans.map((plan) => plan.servicePlanId)).chain((disabledPlans) =>
      fc
        .subarray(product.servicePlans.filter((plan) => !disabledPlans.includes(plan.servicePlanId)))
        .chain((listed) =>
          fc
            .array(fc.constantFrom("Success" as const, "PendingProvisioning" as const, "Error" as const), {
              minLength: listed.length,
              maxLength: listed.length,
            })
            .map((statuses) => ({
              skuId: product.skuId,
              disabledPlans,
              assignedAt: earlier,
              planStatus: Object.fromEntries(
                listed.map((plan, i) => [plan.servicePlanId, statuses[i] ?? "Success"]),
              ),
            })),
        ),
    );
  const licensesArbitrary = fc
    .subarray([...products])
    .chain((chosen) => fc.tuple(...chosen.map(licenseArbitrary)))
    .chain((licenses) => fc.shuffledSubarray(licenses, { minLength: licenses.length }));
  const mailboxArbitrary: fc.Arbitrary<Mailbox> = fc.oneof(
    fc.constant<Mailbox>({ state: "None", sizeGB: 0 }),
    fc.constant<Mailbox>({ state: "Purged", sizeGB: 0 }),
    fc.record({
      state: fc.constantFrom("Active" as const, "Inactive" as const),
      dataId: fc.constant("data-old"),
      sizeGB: fc.integer({ min: 0, max: 120 }),
      providedBy: fc.constantFrom(...products.map((product) => product.skuId)),
    }),
    fc.record({
      state: fc.constant("Retained" as const),
      dataId: fc.constant("data-old"),
      sizeGB: fc.integer({ min: 0, max: 120 }),
      providedBy: fc.constantFrom(...products.map((product) => product.skuId)),
      retainedUntil: fc.constant("2024-06-20T12:00:00.000Z"),
    }),
  );
  const userArbitrary: fc.Arbitrary<User> = fc
    .record({
      mailboxType: mailboxTypeArbitrary,
      assignedLicenses: licensesArbitrary,
      mailbox: mailboxArbitrary,
      teamSitePermission: fc.constantFrom("None" as const, "Edit" as const),
      skypeForBusiness: fc.boolean(),
      teams: fc.boolean(),
      officeApps: fc.boolean(),
      installCount: fc.integer({ min: 0, max: officeInstallLimit }),
      documents: fc.constantFrom("None" as const, "Kept" as const),
    })
    .map(({ mailboxType, assignedLicenses, mailbox, installCount, ...features }) =>
      user({
        mailboxType,
        assignedLicenses,
        provisioning: { ...features, mailbox, officeInstalls: installs(installCount) },
      }),
    );
  const nowArbitrary = fc.date({
    min: new Date("2024-01-01T00:00:00.000Z"),
    max: new Date("2025-01-01T00:00:00.000Z"),
    noInvalidDate: true,
  });

  it("changes nothing the second time, and asks for no new id (property)", () => {
    fc.assert(
      fc.property(userArbitrary, nowArbitrary, nowArbitrary, (start, firstAt, secondAt) => {
        const once = reconcileProvisioning(start, context({ now: firstAt, newId: idSource("first").newId }));
        const secondIds = idSource("second");
        const twice = reconcileProvisioning(once, context({ now: secondAt, newId: secondIds.newId }));
        expect(twice).toEqual(once);
        // The worker compares JSON to decide whether to write: the key order must not move either.
        expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
        expect(secondIds.calls()).toBe(0);
      }),
    );
  });

  it("leaves the features exactly as the enabled plans say (property)", () => {
    fc.assert(
      fc.property(userArbitrary, (start) => {
        const result = reconcileProvisioning(start, context());
        const kinds = enabledKinds(start.assignedLicenses);
        const has = (kind: ProvisioningKind): boolean => kinds.has(kind);
        const after = result.provisioning;
        expect(after.teamSitePermission).toBe(has("sharePoint") ? "Edit" : "None");
        expect(after.skypeForBusiness).toBe(has("skypeForBusiness"));
        expect(after.teams).toBe(has("teams"));
        expect(after.officeApps).toBe(has("officeApps"));
        expect(after.officeInstalls).toEqual(has("officeApps") ? start.provisioning.officeInstalls : []);
        expect(after.documents).toBe(
          has("sharePoint") || start.provisioning.documents === "Kept" ? "Kept" : "None",
        );
        for (const license of result.assignedLicenses) {
          expect(Object.values(license.planStatus).every((status) => status === "Success")).toBe(true);
        }
        if (start.mailboxType !== "User") {
          expect(after.mailbox).toEqual(start.provisioning.mailbox);
        } else if (has("mailbox")) {
          expect(after.mailbox.state).toBe("Active");
          const provider = start.assignedLicenses.find(
            (license) => license.skuId === after.mailbox.providedBy,
          );
          expect(provider).toBeDefined();
          if (["Active", "Retained", "Inactive"].includes(start.provisioning.mailbox.state)) {
            expect(after.mailbox.dataId).toBe(start.provisioning.mailbox.dataId);
            expect(after.mailbox.sizeGB).toBe(start.provisioning.mailbox.sizeGB);
          } else {
            expect(after.mailbox.dataId).toBe("data-1");
          }
        } else {
          expect(after.mailbox.state).not.toBe("Active");
          if (start.provisioning.mailbox.state !== "Active") {
            expect(after.mailbox).toEqual(start.provisioning.mailbox);
          }
        }
      }),
    );
  });

  it("takes away at once only what no license enables, and never gives (property)", () => {
    fc.assert(
      fc.property(userArbitrary, nowArbitrary, (start, at) => {
        const after = withdrawProvisioning(start, context({ now: at })).provisioning;
        const before = start.provisioning;
        const kinds = enabledKinds(start.assignedLicenses);
        expect(after.teamSitePermission).toBe(kinds.has("sharePoint") ? before.teamSitePermission : "None");
        expect(after.skypeForBusiness).toBe(before.skypeForBusiness && kinds.has("skypeForBusiness"));
        expect(after.teams).toBe(before.teams && kinds.has("teams"));
        expect(after.officeApps).toBe(before.officeApps && kinds.has("officeApps"));
        expect(after.officeInstalls).toEqual(kinds.has("officeApps") ? before.officeInstalls : []);
        expect(after.documents).toBe(before.documents);
        const retains =
          start.mailboxType === "User" && before.mailbox.state === "Active" && !kinds.has("mailbox");
        expect(after.mailbox).toEqual(
          retains
            ? {
                ...before.mailbox,
                state: "Retained",
                retainedUntil: new Date(at.getTime() + thirtyDaysMs).toISOString(),
              }
            : before.mailbox,
        );
        expect(withdrawProvisioning(start, context({ now: at })).assignedLicenses).toEqual(
          start.assignedLicenses,
        );
      }),
    );
  });

  it("is a part of reconciling: the worker after it ends where it would have alone, and undoes nothing (property)", () => {
    fc.assert(
      fc.property(userArbitrary, nowArbitrary, (start, at) => {
        const withdrawn = withdrawProvisioning(start, context({ now: at }));
        const alone = reconcileProvisioning(start, context({ now: at, newId: idSource().newId }));
        const after = reconcileProvisioning(withdrawn, context({ now: at, newId: idSource().newId }));
        expect(JSON.stringify(after)).toBe(JSON.stringify(alone));
        // A reconciled user has nothing left to withdraw (the worker's writes stay as they are).
        expect(JSON.stringify(withdrawProvisioning(alone, context({ now: at })))).toBe(JSON.stringify(alone));
      }),
    );
  });

  it("does not change the user it was given", () => {
    const before = user({
      assignedLicenses: [held(e3)],
      provisioning: provisioning({ mailbox: retainedMailbox(), officeInstalls: installs(2) }),
    });
    const copy = structuredClone(before);
    reconcileProvisioning(before, context());
    expect(before).toEqual(copy);
  });
});

describe("whether a shared, room or resource mailbox needs a license (R21)", () => {
  const over = unlicensedMailboxQuotaGB + 0.5;

  it.each<MailboxType>(["Shared", "Room", "Resource"])(
    "says yes for an unlicensed %s mailbox over 50 GB",
    (mailboxType) => {
      const candidate = user({
        mailboxType,
        provisioning: provisioning({ mailbox: activeMailbox({ sizeGB: over }) }),
      });
      expect(needsLicense(candidate)).toBe(true);
    },
  );

  it("says no at exactly 50 GB: only over the quota needs one", () => {
    const candidate = user({
      mailboxType: "Shared",
      provisioning: provisioning({ mailbox: activeMailbox({ sizeGB: unlicensedMailboxQuotaGB }) }),
    });
    expect(needsLicense(candidate)).toBe(false);
  });

  it("says no for a user mailbox, however large", () => {
    const candidate = user({ provisioning: provisioning({ mailbox: activeMailbox({ sizeGB: 99 }) }) });
    expect(needsLicense(candidate)).toBe(false);
  });

  it("says no once a license with an enabled mailbox plan is assigned", () => {
    const candidate = user({
      mailboxType: "Shared",
      assignedLicenses: [held(exchangePlan1)],
      provisioning: provisioning({ mailbox: activeMailbox({ sizeGB: 99 }) }),
    });
    expect(needsLicense(candidate)).toBe(false);
  });

  it("says yes when the license has no mailbox plan, or its mailbox plan is disabled", () => {
    const mailbox = activeMailbox({ sizeGB: 99 });
    const withApps = user({
      mailboxType: "Shared",
      assignedLicenses: [held(appsForBusiness)],
      provisioning: provisioning({ mailbox }),
    });
    const withDisabled = user({
      mailboxType: "Room",
      assignedLicenses: [held(e3, [plans.EXCHANGE_S_ENTERPRISE.servicePlanId])],
      provisioning: provisioning({ mailbox }),
    });
    expect(needsLicense(withApps)).toBe(true);
    expect(needsLicense(withDisabled)).toBe(true);
  });
});

describe("installing Office on a device (R17)", () => {
  const licensed = (count: number): User =>
    user({
      assignedLicenses: [held(appsForBusiness)],
      provisioning: provisioning({ officeApps: true, officeInstalls: installs(count) }),
    });
  const device = { deviceName: "ADELE-MAC", platform: "Mac" } as const;
  const at = "2024-06-01T12:00:00.000Z";

  it("adds the install with its id, device, platform and time, and leaves the rest of the user alone", () => {
    const before = licensed(1);
    const result = addOfficeInstall(before, device, "install-new", at);
    expect(result.provisioning.officeInstalls).toEqual([
      install(1),
      { id: "install-new", deviceName: "ADELE-MAC", platform: "Mac", installedAt: at },
    ]);
    expect({ ...result, provisioning: { ...result.provisioning, officeInstalls: [] } }).toEqual({
      ...before,
      provisioning: { ...before.provisioning, officeInstalls: [] },
    });
    expect(before.provisioning.officeInstalls).toEqual(installs(1));
  });

  it("allows five installs one after another", () => {
    let current = licensed(0);
    for (let n = 1; n <= officeInstallLimit; n++) {
      current = addOfficeInstall(current, { deviceName: `PC-${n}`, platform: "Windows" }, `install-${n}`, at);
    }
    expect(current.provisioning.officeInstalls.map((i) => i.id)).toEqual([
      "install-1",
      "install-2",
      "install-3",
      "install-4",
      "install-5",
    ]);
  });

  it("refuses a sixth with OfficeInstallLimit (409), listing the five installs", () => {
    const problem = problemFrom(() => addOfficeInstall(licensed(5), device, "install-6", at));
    expect(problem.code).toBe("OfficeInstallLimit");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain("adele.vance@contoso.example");
    expect(problem.errors).toEqual(
      installs(5).map((i) => ({ id: i.id, deviceName: i.deviceName, platform: i.platform })),
    );
  });

  it("allows an install again once one of five is released", () => {
    const result = addOfficeInstall(licensed(4), device, "install-new", at);
    expect(result.provisioning.officeInstalls).toHaveLength(5);
  });

  it("refuses with Conflict when no license includes the Office apps", () => {
    const problem = problemFrom(() =>
      addOfficeInstall(user({ assignedLicenses: [held(exchangePlan1)] }), device, "install-1", at),
    );
    expect(problem.code).toBe("Conflict");
    expect(problem.status).toBe(409);
  });

  it("refuses with Conflict when the Office apps plan is disabled in the license", () => {
    const candidate = user({ assignedLicenses: [held(e3, [plans.OFFICESUBSCRIPTION.servicePlanId])] });
    expect(problemFrom(() => addOfficeInstall(candidate, device, "install-1", at)).code).toBe("Conflict");
  });
});
