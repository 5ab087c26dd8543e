// The admin console's entry point: Fluent UI's light theme around the app.
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { redirectPath } from "./auth/entra.js";
import { i18nReady } from "./i18n/index.js";
import "./index.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
if (window.location.pathname === redirectPath) {
  // Entra ID's answer to a sign-in (./auth/entra.ts): MSAL's bridge hands it back to the console.
  void import("@azure/msal-browser/redirect-bridge")
    .then(({ broadcastResponseToMainFrame }) => broadcastResponseToMainFrame())
    .catch(() => window.location.replace("/"));
} else {
  // The chosen language's catalog first, so the console never shows a moment of English.
  void i18nReady.then(() =>
    createRoot(root).render(
      <StrictMode>
        <FluentProvider theme={webLightTheme}>
          <App />
        </FluentProvider>
      </StrictMode>,
    ),
  );
}
