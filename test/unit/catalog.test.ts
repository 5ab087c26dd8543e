import { describe, expect, it } from "vitest";
import {
  findProduct,
  findProductByPartNumber,
  findServicePlan,
  planDependencies,
  planExclusions,
  products,
  servicePlans,
} from "../../shared/domain/catalog.js";

const lowercaseGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const allPlanRefs = products.flatMap((entry) => entry.servicePlans);
const catalogPlanIds = new Set(allPlanRefs.map((entry) => entry.servicePlanId));

describe("product catalog", () => {
  it("uses lowercase GUIDs for every SKU and service plan id", () => {
    for (const entry of products) expect(entry.skuId).toMatch(lowercaseGuid);
    for (const entry of allPlanRefs) expect(entry.servicePlanId).toMatch(lowercaseGuid);
    for (const exclusion of planExclusions) {
      for (const id of exclusion.servicePlanIds) expect(id).toMatch(lowercaseGuid);
    }
    for (const dependency of planDependencies) {
      expect(dependency.servicePlanId).toMatch(lowercaseGuid);
      for (const id of dependency.requiresAnyOf) expect(id).toMatch(lowercaseGuid);
    }
  });

  it("has unique SKU ids and part numbers", () => {
    expect(new Set(products.map((entry) => entry.skuId)).size).toBe(products.length);
    expect(new Set(products.map((entry) => entry.skuPartNumber)).size).toBe(products.length);
  });

  it("never lists a service plan twice in one product", () => {
    for (const entry of products) {
      const ids = entry.servicePlans.map((servicePlan) => servicePlan.servicePlanId);
      expect(new Set(ids).size, entry.skuPartNumber).toBe(ids.length);
    }
  });

  it("gives a service plan id one name, display name and kind everywhere, and a plan name one id", () => {
    const byId = new Map<string, string>();
    const byName = new Map<string, string>();
    for (const entry of allPlanRefs) {
      const signature = `${entry.servicePlanName}|${entry.displayName}|${entry.provisioningKind}`;
      expect(byId.get(entry.servicePlanId) ?? signature, entry.servicePlanId).toBe(signature);
      byId.set(entry.servicePlanId, signature);
      expect(byName.get(entry.servicePlanName) ?? entry.servicePlanId, entry.servicePlanName).toBe(
        entry.servicePlanId,
      );
      byName.set(entry.servicePlanName, entry.servicePlanId);
    }
  });

  it("lists in servicePlans exactly the plans that the products use", () => {
    expect(new Set(servicePlans.map((entry) => entry.servicePlanId))).toEqual(catalogPlanIds);
    expect(servicePlans).toHaveLength(catalogPlanIds.size);
  });

  it("refers only to catalog plans in exclusions and dependencies", () => {
    for (const exclusion of planExclusions) {
      const [first, second] = exclusion.servicePlanIds;
      expect(first).not.toBe(second);
      expect(catalogPlanIds.has(first), first).toBe(true);
      expect(catalogPlanIds.has(second), second).toBe(true);
      expect(exclusion.reason.length).toBeGreaterThan(0);
    }
    for (const dependency of planDependencies) {
      expect(catalogPlanIds.has(dependency.servicePlanId), dependency.servicePlanId).toBe(true);
      expect(dependency.requiresAnyOf.length).toBeGreaterThan(0);
      for (const id of dependency.requiresAnyOf) expect(catalogPlanIds.has(id), id).toBe(true);
      expect(dependency.requiresAnyOf).not.toContain(dependency.servicePlanId);
      expect(dependency.reason.length).toBeGreaterThan(0);
    }
  });

  it("never puts two mutually exclusive plans in one product", () => {
    for (const entry of products) {
      const ids = new Set(entry.servicePlans.map((servicePlan) => servicePlan.servicePlanId));
      for (const { servicePlanIds } of planExclusions) {
        expect(ids.has(servicePlanIds[0]) && ids.has(servicePlanIds[1]), entry.skuPartNumber).toBe(false);
      }
    }
  });

  it("lets every product that holds a dependent plan satisfy it on its own, except add-ons", () => {
    for (const entry of products.filter((candidate) => candidate.servicePlans.length > 1)) {
      const ids = new Set(entry.servicePlans.map((servicePlan) => servicePlan.servicePlanId));
      for (const dependency of planDependencies.filter((candidate) => ids.has(candidate.servicePlanId))) {
        expect(
          dependency.requiresAnyOf.some((id) => ids.has(id)),
          entry.skuPartNumber,
        ).toBe(true);
      }
    }
  });

  it.each([
    ["ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900", "Office 365 E3"],
    ["O365_BUSINESS_ESSENTIALS", "3b555118-da6a-4418-894f-7df1e2096870", "Microsoft 365 Business Basic"],
    ["O365_BUSINESS_PREMIUM", "f245ecc8-75af-4f8e-b61f-27d8114de5f3", "Microsoft 365 Business Standard"],
    ["SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "Microsoft 365 Business Premium"],
    ["EXCHANGESTANDARD", "4b9405b0-7788-4568-add1-99614e613b69", "Exchange Online (Plan 1)"],
    ["EXCHANGEENTERPRISE", "19ec0d23-8335-4cbd-94ac-6050e30712fa", "Exchange Online (Plan 2)"],
    ["O365_BUSINESS", "cdd28e44-67e3-425e-be4c-737fab2899d3", "Microsoft 365 Apps for business"],
  ])("contains %s with Microsoft's SKU id", (partNumber, skuId, displayName) => {
    const entry = findProduct(skuId);
    expect(entry?.skuPartNumber).toBe(partNumber);
    expect(entry?.displayName).toBe(displayName);
  });

  it("gives Office 365 E3 the Exchange, SharePoint, Skype, Teams and Office apps plans", () => {
    const e3 = findProductByPartNumber("ENTERPRISEPACK");
    expect(e3?.servicePlans.map((entry) => entry.servicePlanName)).toEqual(
      expect.arrayContaining([
        "EXCHANGE_S_ENTERPRISE",
        "SHAREPOINTENTERPRISE",
        "MCOSTANDARD",
        "TEAMS1",
        "OFFICESUBSCRIPTION",
        "SHAREPOINTWAC",
      ]),
    );
    const kinds = new Set(e3?.servicePlans.map((entry) => entry.provisioningKind));
    expect([...kinds].sort()).toEqual([
      "mailbox",
      "officeApps",
      "other",
      "sharePoint",
      "skypeForBusiness",
      "teams",
    ]);
  });

  it("gives Microsoft 365 Apps for business Office apps and OneDrive but no mailbox", () => {
    const apps = findProductByPartNumber("O365_BUSINESS");
    const names = apps?.servicePlans.map((entry) => entry.servicePlanName);
    expect(names).toEqual(expect.arrayContaining(["OFFICE_BUSINESS", "ONEDRIVESTANDARD", "SHAREPOINTWAC"]));
    expect(apps?.servicePlans.some((entry) => entry.provisioningKind === "mailbox")).toBe(false);
  });

  it("keeps an inactive mailbox for Office 365 E3 but not for Business Basic", () => {
    expect(findProductByPartNumber("ENTERPRISEPACK")?.supportsInactiveMailbox).toBe(true);
    expect(findProductByPartNumber("O365_BUSINESS_ESSENTIALS")?.supportsInactiveMailbox).toBe(false);
  });

  it("declares Exchange Online Plan 1 and Plan 2 mutually exclusive, and SharePoint Plan 1 and Plan 2", () => {
    const isExclusive = (a: string, b: string): boolean => {
      const first = findServicePlan(a)?.servicePlanId;
      const second = findServicePlan(b)?.servicePlanId;
      return planExclusions.some(
        ({ servicePlanIds: [x, y] }) => (x === first && y === second) || (x === second && y === first),
      );
    };
    expect(isExclusive("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "efb87545-963c-4e0d-99df-69c6916d9eb0")).toBe(
      true,
    );
    expect(isExclusive("c7699d2e-19aa-44de-8edf-1736da088ca1", "5dbe027f-2339-4123-9542-606e4d348a72")).toBe(
      true,
    );
    expect(isExclusive("57ff2da0-773e-42df-b2af-ffb7a2317929", "0feaeb32-d00e-4d66-bd5a-43b5b83db82c")).toBe(
      false,
    );
  });

  it("finds products and service plans whatever the case of the GUID", () => {
    expect(findProduct("6FD2C87F-B296-42F0-B197-1E91E994B900")?.skuPartNumber).toBe("ENTERPRISEPACK");
    expect(findProduct("6fd2c87f-b296-42f0-b197-1e91e994b900")?.skuPartNumber).toBe("ENTERPRISEPACK");
    expect(findServicePlan("EFB87545-963C-4E0D-99DF-69C6916D9EB0")?.servicePlanName).toBe(
      "EXCHANGE_S_ENTERPRISE",
    );
    expect(findServicePlan("efb87545-963c-4e0d-99df-69c6916d9eb0")?.displayName).toBe(
      "Exchange Online (Plan 2)",
    );
    expect(findProductByPartNumber("enterprisepack")?.skuId).toBe("6fd2c87f-b296-42f0-b197-1e91e994b900");
  });

  it("finds nothing for unknown ids", () => {
    expect(findProduct("00000000-0000-0000-0000-000000000000")).toBeUndefined();
    expect(findServicePlan("not-a-guid")).toBeUndefined();
    expect(findProductByPartNumber("NOPE")).toBeUndefined();
  });
});
