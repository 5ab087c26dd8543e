// The console's languages and how a browser's language tags map onto them (no DOM: unit-tested).

export const languages = ["en", "sv", "da", "nb"] as const;
export type Language = (typeof languages)[number];

/** Each language's name in itself, for the switcher. */
export const languageNames: Record<Language, string> = {
  en: "English",
  sv: "Svenska",
  da: "Dansk",
  nb: "Norsk (bokmål)",
};

/** Where the switcher keeps this browser's choice. */
export const languageStorageKey = "license-console.language";

/** The catalog's language for a browser language tag ("sv-SE" → sv, "no" and "nn" → nb), if any. */
export function languageOf(tag: string): Language | undefined {
  const primary = tag.toLowerCase().split(/[-_]/)[0] ?? "";
  if (primary === "no" || primary === "nn") return "nb";
  return (languages as readonly string[]).includes(primary) ? (primary as Language) : undefined;
}
