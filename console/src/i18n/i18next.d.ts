// Typed keys: `t("app.signOut")` is checked against the English catalog.
import "i18next";
import type { en } from "./en.js";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
