// Usage: npx tsx local/bicep-check/cli.ts infra/main.bicep [--parameters <file> | --no-parameters]
// Prints one line per finding and exits 1 if there is any. See check.ts for what is checked.
import { resolve } from "node:path";
import { settingDescriptions } from "../../shared/config.js";
import { type CheckOptions, checkDeployment } from "./check.js";
import { formatFinding } from "./findings.js";

function main(args: readonly string[]): number {
  let entry: string | undefined;
  let parametersFile: CheckOptions["parametersFile"];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--parameters") parametersFile = args[++index];
    else if (arg === "--no-parameters") parametersFile = false;
    else if (arg?.startsWith("-") || entry !== undefined) {
      console.error(`unexpected argument: ${arg}`);
      return 2;
    } else entry = arg;
  }
  if (entry === undefined || parametersFile === "") {
    console.error("usage: cli.ts <main.bicep> [--parameters <file> | --no-parameters]");
    return 2;
  }
  const result = checkDeployment(resolve(entry), { settingDescriptions, parametersFile });
  for (const finding of result.findings) console.log(formatFinding(finding));
  const summary = `bicep-check: ${result.files.length} template(s), ${result.findings.length} finding(s)`;
  if (result.findings.length > 0) {
    console.error(summary);
    return 1;
  }
  console.log(summary);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
