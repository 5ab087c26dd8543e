// The console's languages: react-i18next over one catalog per language (en.ts defines the keys, the
// others are typed to have exactly the same ones). The language comes from this browser's choice
// (localStorage, set by the header's switcher) or else its languages (sv, da, nb/no/nn → nb, else
// en); `<html lang>` follows it. Dates and numbers go through Intl in that language.
import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { da } from "./da.js";
import { en } from "./en.js";
import { type Language, languageOf, languageStorageKey, languages } from "./languages.js";
import { nb } from "./nb.js";
import { sv } from "./sv.js";

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: en },
      sv: { translation: sv },
      da: { translation: da },
      nb: { translation: nb },
    },
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

/** The language the console shows now. */
export const currentLanguage = (): Language => languageOf(i18next.resolvedLanguage ?? "en") ?? "en";

/** Switches the console's language and keeps the choice in this browser. */
export function chooseLanguage(language: Language): void {
  localStorage.setItem(languageStorageKey, language);
  void i18next.changeLanguage(language);
}

export { type Language, languageNames, languageOf, languages } from "./languages.js";
export { i18next };
