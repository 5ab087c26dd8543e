// Renders the configuration table of docs/configuration.md from shared/config.ts, the one list of
// settings. `npm run docs` rewrites it in place; a test fails when the page and the schema disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type SettingDescription, settingDescriptions } from "../shared/config.js";

/** The page that holds the settings table, from the repository's root. */
export const settingsPage = "docs/configuration.md";

const tableStart = "<!-- settings-table:start -->";
const tableEnd = "<!-- settings-table:end -->";

function presence(setting: SettingDescription): string {
  switch (setting.presence.kind) {
    case "required":
      return "required";
    case "oneOf":
      return `one of *${setting.presence.group}*`;
    case "optional":
      return "optional";
  }
}

function renderSettingsTable(): string {
  const rows = settingDescriptions.map(
    (s) => `| \`${s.name}\` | ${presence(s)} | ${s.azure ? "yes" : "no"} | ${s.description} |`,
  );
  return ["| setting | needed | set in Azure | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

export function withSettingsTable(page: string): string {
  const start = page.indexOf(tableStart);
  const end = page.indexOf(tableEnd);
  if (start < 0 || end < start)
    throw new Error(`${settingsPage} lacks the ${tableStart} … ${tableEnd} markers`);
  return `${page.slice(0, start + tableStart.length)}\n${renderSettingsTable()}\n${page.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(settingsPage, withSettingsTable(readFileSync(settingsPage, "utf8")));
  console.log(`${settingsPage}: settings table rewritten from shared/config.ts`);
}
