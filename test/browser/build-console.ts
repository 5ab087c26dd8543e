// The browser tests' global setup: the console they open is the one built from the current sources.
import { ensureConsoleBuilt } from "../../local/console-build.js";

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
