// The console with the service stopped mid-session, in Debian's Chromium against the real app: it says
// so (role=alert, within the request timeout), keeps what it showed marked with its age, spins no
// longer than the timeout, and notices by itself when the service is back.
//
// The service is stopped by closing a small HTTP proxy the browser reaches it through, on one port,
// rather than the app itself: startTestApp's app gets a new signing key, table and port at each start,
// so a restarted app would refuse the session's token and hold none of its data. Closing the proxy
// (its connections too) is what a stopped service looks like to the browser: the connection refused.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requestTimeoutMs } from "../../console/src/api/request-timeout.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM").displayName;

/**
 * A proxy to `target` on a port of its own, which can stop (refusing connections) and start again,
 * or, still listening, answer nothing (`hang`) or a gateway's 502 (`gateway`).
 */
async function startProxy(target: string) {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let mode: "forward" | "hang" | "gateway" = "forward";
  const server: Server = createServer((req, res) => {
    if (mode === "hang") return;
    if (mode === "gateway") {
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>502 Bad Gateway</h1>");
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Stops answering: the port refuses connections, and those open (keep-alive) are cut. */
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    start: () => listen(port),
    set mode(next: typeof mode) {
      mode = next;
    },
  };
}

let app: TestApp;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ triggers: false }), launchChromium()]);
  proxy = await startProxy(app.url);
});
afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await app?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterEach(async () => {
  await page.close();
  // A test that failed half-way leaves the service running for the next.
  proxy.mode = "forward";
  await proxy.start().catch(() => {});
});

const productRow = (name: string) => page.getByRole("row", { name: new RegExp(`^${name}`) });
const serviceDown = () => page.getByRole("alert", { name: "License Manager can't reach the service" });
/** Fluent's spinners (the seat bars are progress bars too). */
const spinners = (within: Page | Locator) => within.locator(".fui-Spinner");
/** Within the request timeout, and a second for the console to draw it. */
const withinTimeout = { timeout: requestTimeoutMs + 1_000 };

describe("with the service stopped", () => {
  it("says so when Refresh fails, keeps the numbers marked with their age, and reloads them once the service is back", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    await signIn(page, proxy.url, tenant.admin);
    await productRow(businessStandard).getByText("2 of 2 available").waitFor();

    await proxy.stop();
    await page.getByRole("button", { name: "Refresh" }).click();
    await serviceDown().waitFor(withinTimeout);
    const stale = page.getByRole("alert", { name: /^Couldn't refresh\. Showing data from/ });
    await stale.waitFor(withinTimeout);
    // "… from 14:02 (now)": the time the numbers were read, and how long ago in words.
    expect(await stale.textContent()).toMatch(/Showing data from \d{1,2}:\d{2}.*\(.+\)/);
    expect(await stale.textContent()).toContain("License Manager can't reach the service");
    await productRow(businessStandard).getByText("2 of 2 available").waitFor();
    expect(await spinners(page).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "service-down-stale");

    // The Buy dialog says it cannot read the catalog, with Retry, instead of spinning.
    await page.getByRole("button", { name: "Buy licenses" }).click();
    const buy = page.getByRole("dialog", { name: "Buy licenses" });
    await buy.getByRole("alert").filter({ hasText: "can't reach the service" }).waitFor(withinTimeout);
    expect(await spinners(buy).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await buy.getByRole("button", { name: "Cancel" }).click();
    await buy.waitFor({ state: "hidden" });

    // Bought while the console could not see it: the numbers it reloads by itself show it.
    await tenant.buy(skus.businessStandard, 3);
    await proxy.start();
    await page.getByRole("status").filter({ hasText: "The service is back" }).waitFor();
    await productRow(businessStandard).getByText("5 of 5 available").waitFor();
    await stale.waitFor({ state: "detached" });
    expect(await serviceDown().count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it("gives up on a request the service does not answer within the timeout, and says a gateway's 502 in words", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    await signIn(page, proxy.url, tenant.admin);
    await productRow(businessStandard).getByText("2 of 2 available").waitFor();

    proxy.mode = "hang";
    const clicked = Date.now();
    await page.getByRole("button", { name: "Refresh" }).click();
    const stale = page.getByRole("alert", { name: /^Couldn't refresh\. Showing data from/ });
    await stale
      .getByText(`The service did not answer within ${requestTimeoutMs / 1000} seconds`)
      .waitFor({ timeout: requestTimeoutMs + 5_000 });
    expect(Date.now() - clicked).toBeGreaterThanOrEqual(requestTimeoutMs - 500);
    await serviceDown().waitFor();
    expect(await spinners(page).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    proxy.mode = "gateway";
    await stale.getByRole("button", { name: "Retry" }).click();
    await stale.getByText("The service is unavailable right now (status 502)").waitFor(withinTimeout);

    proxy.mode = "forward";
    await page.getByRole("status").filter({ hasText: "The service is back" }).waitFor();
    await stale.waitFor({ state: "detached" });
  }, 60_000);

  it("keeps the Users, Groups and Jobs lists' rows on a failed Refresh, marked with their age, and reloads them once the service is back", async () => {
    const tenant = await newTenant(app);
    await tenant.user({ displayName: "Lee Gu" });
    const group = { displayName: "Sales team", securityEnabled: true, mailEnabled: false };
    expect((await tenant.call("POST", "/api/groups", { ...group, mailNickname: "sales" })).status).toBe(201);
    await signIn(page, proxy.url, tenant.admin);
    await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
    await page.getByRole("link", { name: "Lee Gu", exact: true }).waitFor();

    await proxy.stop();
    await page.getByRole("button", { name: "Refresh" }).click();
    const stale = page.getByRole("alert", { name: /^Couldn't refresh\. Showing data from/ });
    await stale.waitFor(withinTimeout);
    await page.getByRole("link", { name: "Lee Gu", exact: true }).waitFor();
    expect(await spinners(page).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Added while the console could not see it: the list it reloads by itself shows them.
    await tenant.user({ displayName: "Megan Bowen" });
    await proxy.start();
    await page.getByRole("link", { name: "Megan Bowen", exact: true }).waitFor();
    await stale.waitFor({ state: "detached" });

    await page.getByRole("navigation").getByRole("link", { name: "Groups" }).click();
    await page.getByRole("link", { name: "Sales team", exact: true }).waitFor();
    await proxy.stop();
    await page.getByRole("button", { name: "Refresh" }).click();
    await stale.waitFor(withinTimeout);
    await page.getByRole("link", { name: "Sales team", exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await tenant.call("POST", "/api/groups", {
      ...group,
      displayName: "Support team",
      mailNickname: "support",
    });
    await proxy.start();
    await page.getByRole("link", { name: "Support team", exact: true }).waitFor();
    await stale.waitFor({ state: "detached" });

    // The Jobs page likewise: its list (empty here) stays, marked, rather than failing the page.
    await page.getByRole("navigation").getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    await proxy.stop();
    await page.getByRole("button", { name: "Refresh" }).click();
    await stale.waitFor(withinTimeout);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await proxy.start();
    await stale.waitFor({ state: "detached" });
  }, 60_000);

  it("says Save failed with Retry instead of greying out, keeps the change, and saves it on Retry once the service is back", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    const user = await tenant.user({ displayName: "Megan Bowen" });
    await signIn(page, proxy.url, tenant.admin);
    await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
    await page.getByRole("link", { name: "Megan Bowen", exact: true }).click();
    const panel = page.getByRole("dialog", { name: "Megan Bowen" });
    const license = panel.getByRole("checkbox", { name: new RegExp(`^${businessStandard} \\(2 of 2`) });
    await license.check();

    await proxy.stop();
    await panel.getByRole("button", { name: "Save changes" }).click();
    const failed = panel.getByRole("alert", { name: "Not saved" });
    await failed.waitFor(withinTimeout);
    expect(await failed.textContent()).toContain("License Manager can't reach the service");
    expect(await license.isChecked()).toBe(true);
    expect(await spinners(panel).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "service-down-save");

    await proxy.start();
    await failed.getByRole("button", { name: "Retry" }).click();
    await panel.getByText("Saved the licenses and apps of Megan Bowen.").waitFor();
    const saved = await tenant.call<{ assignedLicenses: { skuId: string }[] }>(
      "GET",
      `/api/users/${user.id}`,
    );
    expect(saved.body.assignedLicenses.map((held) => held.skuId)).toEqual([skus.businessStandard]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);
});
