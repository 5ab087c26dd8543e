// Renders the README's configuration table from shared/config.ts, the one list of settings.
// `npm run docs` rewrites it in place; a test fails when the README and the schema disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type SettingDescription, settingDescriptions } from "../shared/config.js";

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

export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${tableStart} … ${tableEnd} markers`);
  return `${readme.slice(0, start + tableStart.length)}\n${renderSettingsTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync("README.md", "utf8");
  writeFileSync("README.md", withSettingsTable(readme));
  console.log("README.md: settings table rewritten from shared/config.ts");
}
