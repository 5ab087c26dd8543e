// Entry point for the Azure Functions host (package.json "main"): checks the configuration, then
// registers every function.
import { app } from "@azure/functions";
import { loadConfig } from "../shared/config.js";
import { functions } from "./registry.js";

// Parsed once here so a missing or invalid setting stops the host at start-up with a message naming
// it (the worker reports the entry point's error), instead of a 500 on every request. The services
// read it again, lazily, on the first invocation.
loadConfig();

app.setup({ enableHttpStream: false });

for (const definition of functions) {
  switch (definition.kind) {
    case "http":
      app.http(definition.name, definition.options);
      break;
    case "timer":
      app.timer(definition.name, definition.options);
      break;
    case "serviceBusQueue":
      app.serviceBusQueue(definition.name, definition.options);
      break;
  }
}
