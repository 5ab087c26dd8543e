// Entry point for the Azure Functions host (package.json "main"): registers every function.
import { app } from "@azure/functions";
import { functions } from "./registry.js";

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
