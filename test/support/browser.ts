// Debian's Chromium driven by playwright-core (no browser is downloaded), with the checks every page
// gets: axe-core injected into the page, and a screenshot into test-results/screenshots (git-ignored).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { AxeResults } from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";

/** `apt-get install chromium` puts it here; .ci/run installs it before `npm test`. */
export const chromiumPath = "/usr/bin/chromium";
export const screenshotFolder = "test-results/screenshots";

/** Chromium's features that make the address bar's popup a WebUI page (see launchChromium). */
const omniboxPopupFeatures = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

export async function launchChromium(): Promise<Browser> {
  // A missing browser fails the browser tests: skipping them would let CI pass without them.
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: run \`apt-get update && apt-get install -y chromium\`.`);
  }
  // --no-sandbox: CI and the development machines run as root, where Chromium's sandbox refuses.
  // --disable-features: headless Chromium (156) otherwise loads its address bar's popup, a WebUI page
  // of several hundred modules in a renderer of its own, for every new context's window: about
  // 0.4–1 s of CPU that competed with the page under test on the shared 2 cores (a trace of the
  // console's cold start showed it beside the console's own 0.4 s). No test uses the address bar.
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", `--disable-features=${omniboxPopupFeatures.join(",")}`],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical axe-core violations on the page as it is now, one line each. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Colours are measured as they are drawn: let running transitions end first (a button just
  // enabled fades from grey to blue over Fluent's 100 ms, which axe would read half-way).
  // A cancelled animation rejects its `finished`: settled is what matters, not how.
  await page.evaluate("Promise.allSettled(document.getAnimations().map((animation) => animation.finished))");
  if (!(await page.evaluate("typeof globalThis.axe === 'object'"))) {
    await page.addScriptTag({ content: axeSource });
  }
  const results = await page.evaluate<AxeResults>("axe.run(document, { resultTypes: ['violations'] })");
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(withoutFocusGuards)
    .filter((violation) => violation.nodes.length > 0)
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
          .map((node) => `${node.target.join(" ")} ${node.html.slice(0, 120)}`)
          .join("; ")})`,
    );
}

type Violation = AxeResults["violations"][number];

/**
 * Fluent's focus manager (tabster) puts focusable, aria-hidden `<i data-tabster-dummy>` sentinels
 * around dialogs and lists; each hands focus on at once to a real control, so a keyboard or screen
 * reader user never stops on one. axe cannot know that and flags them as `aria-hidden-focus`: they
 * are left out of that one rule, and every other rule still checks them.
 */
function withoutFocusGuards(violation: Violation): Violation {
  if (violation.id !== "aria-hidden-focus") return violation;
  return { ...violation, nodes: violation.nodes.filter((node) => !node.html.includes("data-tabster-dummy")) };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotFolder, { recursive: true });
  const path = join(screenshotFolder, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the console's sign-in dialog, as a person pastes `npm run token`'s output. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Bearer token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Licenses" }).waitFor();
}
