// The console's rule for what a service switch takes with it (console/src/components/plan-switching.ts),
// pure: within one product, and across the user's licenses.
import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import {
  describeAlsoOff,
  settleLicenses,
  switchServicePlan,
} from "../../console/src/components/plan-switching.js";
import { en } from "../../console/src/i18n/en.js";
import { plans, productOf, skus } from "../support/catalog-ids.js";

const audioConferencing = productOf("MCOMEETADV");
const e3 = productOf("ENTERPRISEPACK");
const id = (plan: { servicePlanId: string }) => plan.servicePlanId;

// The notes' words come from the console's English catalog, through i18next as the console sets it up.
beforeAll(async () => {
  await i18next.init({
    lng: "en",
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
  });
});

describe("switching a plan within its product", () => {
  it("turns Office for the web off with SharePoint, and on again with SharePoint", () => {
    const off = switchServicePlan(e3, [], id(plans.SHAREPOINTENTERPRISE), false);
    expect(off.disabledPlans).toEqual([id(plans.SHAREPOINTENTERPRISE), id(plans.SHAREPOINTWAC)]);
    expect(off.alsoOff.map(id)).toEqual([id(plans.SHAREPOINTWAC)]);

    const on = switchServicePlan(e3, off.disabledPlans, id(plans.SHAREPOINTWAC), true);
    expect(on.disabledPlans).toEqual([]);
    expect(on.alsoOn.map(id)).toEqual([id(plans.SHAREPOINTENTERPRISE)]);
  });

  it("keeps Office for the web on while another license keeps SharePoint on", () => {
    const off = switchServicePlan(
      e3,
      [],
      id(plans.SHAREPOINTENTERPRISE),
      false,
      new Set([id(plans.SHAREPOINTSTANDARD)]),
    );
    expect(off.disabledPlans).toEqual([id(plans.SHAREPOINTENTERPRISE)]);
    expect(off.alsoOff).toEqual([]);
  });
});

describe("settling the user's licenses after a change", () => {
  it("turns Audio Conferencing off once Skype for Business and Teams are off in the user's other license", () => {
    const licenses = new Map([
      [skus.e3, [id(plans.MCOSTANDARD), id(plans.TEAMS1)]],
      [audioConferencing.skuId, []],
    ]);
    const settled = settleLicenses(licenses);
    expect(settled.licenses.get(audioConferencing.skuId)).toEqual([id(plans.MCOMEETADV)]);
    expect(settled.licenses.get(skus.e3)).toEqual(licenses.get(skus.e3));
    expect(settled.alsoOff).toEqual([{ product: audioConferencing, plans: [plans.MCOMEETADV] }]);
    expect(describeAlsoOff(settled.alsoOff)).toBe(
      "Microsoft 365 Audio Conferencing turned off too, as nothing it needs is on in the user's licenses. " +
        "Audio Conferencing adds dial-in to Skype for Business or Teams meetings, so it needs one of them.",
    );
  });

  it("turns it off when the license holding what it needs is unchecked, and leaves it while Teams alone is on", () => {
    expect(
      settleLicenses(new Map([[audioConferencing.skuId, []]])).licenses.get(audioConferencing.skuId),
    ).toEqual([id(plans.MCOMEETADV)]);
    const teamsOnly = settleLicenses(
      new Map([
        [skus.e3, [id(plans.MCOSTANDARD)]],
        [audioConferencing.skuId, []],
      ]),
    );
    expect(teamsOnly.alsoOff).toEqual([]);
    expect(teamsOnly.licenses.get(audioConferencing.skuId)).toEqual([]);
  });

  it("changes nothing when every dependent has what it needs, and keeps licenses the catalog does not know", () => {
    const licenses = new Map([
      [skus.e3, []],
      ["00000000-0000-0000-0000-000000000001", ["anything"]],
    ]);
    const settled = settleLicenses(licenses);
    expect(settled.alsoOff).toEqual([]);
    expect(settled.licenses).toEqual(licenses);
    expect(describeAlsoOff(settled.alsoOff)).toBeUndefined();
  });
});
