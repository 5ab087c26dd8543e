// installOffice / removeOfficeInstall against in-memory ports (R17): up to five devices a user, only
// while a license includes the Office apps.
import { describe, expect, it } from "vitest";
import { installOffice, removeOfficeInstall } from "../../../shared/usecases/office-installs.js";
import { skus } from "../../support/catalog-ids.js";
import { addUser, admin, buySeats, clearCommits, expectProblem, stored, world } from "./fixture.js";

const device = (n: number) => ({ deviceName: `laptop-${n}`, platform: "Windows" as const });

async function officeUser() {
  const w = world();
  await buySeats(w, skus.appsForBusiness, 1);
  const user = await addUser(w, "ada", [skus.appsForBusiness]);
  return { w, user };
}

describe("installOffice", () => {
  it("installs on five devices and refuses the sixth with OfficeInstallLimit, writing nothing", async () => {
    const { w, user } = await officeUser();
    for (let n = 1; n <= 5; n++) await installOffice(w.deps, admin, user.id, device(n));
    clearCommits(w);

    await expectProblem(installOffice(w.deps, admin, user.id, device(6)), "OfficeInstallLimit");

    expect(w.records.commits).toEqual([]);
    expect((await stored(w, user.id)).provisioning.officeInstalls.map((i) => i.deviceName)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `laptop-${n}`),
    );
  });

  it("installs on a sixth device once one of five is removed", async () => {
    const { w, user } = await officeUser();
    const installs = [];
    for (let n = 1; n <= 5; n++) installs.push(await installOffice(w.deps, admin, user.id, device(n)));
    const [first] = installs;
    if (!first) throw new Error("no install");

    await removeOfficeInstall(w.deps, admin, user.id, first.id);
    const sixth = await installOffice(w.deps, admin, user.id, device(6));

    expect((await stored(w, user.id)).provisioning.officeInstalls.map((i) => i.id)).toContain(sixth.id);
    expect((await stored(w, user.id)).provisioning.officeInstalls).toHaveLength(5);
  });

  it("refuses a user whose licenses do not include the Office apps", async () => {
    const w = world();
    await buySeats(w, skus.businessBasic, 1);
    const user = await addUser(w, "ada", [skus.businessBasic]);

    await expectProblem(installOffice(w.deps, admin, user.id, device(1)), "Conflict");
  });
});
