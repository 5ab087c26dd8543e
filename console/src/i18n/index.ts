// The console's languages: react-i18next over one catalog per language (en.ts defines the keys, the
// others are typed to have exactly the same ones). The language comes from this browser's choice
// (localStorage, set by the header's switcher) or else its languages (sv, da, nb/no/nn → nb, else
// en); `<html lang>` follows it. Dates and numbers go through Intl in that language. English is in
// the first page's bundle; each other catalog is a chunk of its own, loaded before the console shows
// (`i18nReady`) or when the switcher chooses it, so the first page stays within its budget.
import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import type { Catalog } from "./catalog.js";
import { en } from "./en.js";
import { type Language, languageOf, languageStorageKey, languages } from "./languages.js";

const catalogs: Record<Exclude<Language, "en">, () => Promise<Catalog>> = {
  sv: () => import("./sv.js").then((module) => module.sv),
  da: () => import("./da.js").then((module) => module.da),
  nb: () => import("./nb.js").then((module) => module.nb),
};

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en } },
    // The other languages' catalogs arrive later (loadLanguage).
    partialBundledLanguages: true,
    supportedLngs: languages,
    fallbackLng: "en",
    load: "languageOnly",
    // React escapes what it renders; the catalog's values are text, never markup.
    interpolation: { escapeValue: false },
    detection: {
      order: ["localStorage", "navigator"],
      lookupLocalStorage: languageStorageKey,
      // Only the switcher stores a choice: a browser whose language changes follows it until then.
      caches: [],
      convertDetectedLanguage: (tag: string) => languageOf(tag) ?? tag,
    },
    // The catalogs are here already: ready before the first render, nothing to suspend for.
    initAsync: false,
    react: { useSuspense: false },
  });

const followLanguage = (language: string) => {
  document.documentElement.lang = language;
  document.title = i18next.t("app.productName");
};
followLanguage(i18next.resolvedLanguage ?? "en");
i18next.on("languageChanged", () => followLanguage(i18next.resolvedLanguage ?? "en"));

/** The language chosen (by the switcher or the browser), whose catalog the console shows once loaded. */
export const currentLanguage = (): Language => languageOf(i18next.language ?? "en") ?? "en";

/** Loads a language's catalog (once) and shows the console in it. */
async function showLanguage(language: Language): Promise<void> {
  if (language !== "en" && !i18next.hasResourceBundle(language, "translation")) {
    i18next.addResourceBundle(language, "translation", await catalogs[language]());
  }
  await i18next.changeLanguage(language);
}

/** Settled once the chosen language's catalog is there: the console renders after it. */
export const i18nReady: Promise<void> = showLanguage(currentLanguage()).catch(() => undefined);

/** Switches the console's language and keeps the choice in this browser. */
export function chooseLanguage(language: Language): void {
  localStorage.setItem(languageStorageKey, language);
  void showLanguage(language);
}

export { type Language, languageNames, languageOf, languages } from "./languages.js";
export { i18next };
