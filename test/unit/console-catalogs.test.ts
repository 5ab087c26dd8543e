// The console's catalogs (console/src/i18n/): every language has exactly the English catalog's keys,
// no empty string, the same placeholders and both plural forms; browser tags map onto the languages.
import { describe, expect, it } from "vitest";
import { da } from "../../console/src/i18n/da.js";
import { en } from "../../console/src/i18n/en.js";
import { languageOf, languages } from "../../console/src/i18n/languages.js";
import { nb } from "../../console/src/i18n/nb.js";
import { sv } from "../../console/src/i18n/sv.js";

type Tree = { readonly [key: string]: string | Tree };

/** Every leaf of a catalog by its dotted key. */
function leaves(tree: Tree, prefix = ""): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "object" && value !== null)
      for (const entry of leaves(value, path)) found.set(...entry);
    else found.set(path, value);
  }
  return found;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((match) => match[1] ?? "").sort();

const english = leaves(en);
const catalogs: Record<string, Tree> = { sv, da, nb };

describe("the console's catalogs", () => {
  it("cover the four languages", () => {
    expect([...languages]).toEqual(["en", ...Object.keys(catalogs)]);
  });

  it("has no empty string in English", () => {
    for (const [key, value] of english) expect(value, key).toMatch(/\S/);
  });

  for (const [language, catalog] of Object.entries(catalogs)) {
    describe(language, () => {
      const own = leaves(catalog);

      it("has every English key", () => {
        expect([...english.keys()].filter((key) => !own.has(key))).toEqual([]);
      });

      it("has no key English lacks", () => {
        expect([...own.keys()].filter((key) => !english.has(key))).toEqual([]);
      });

      it("has no empty string", () => {
        for (const [key, value] of own) {
          expect(typeof value, key).toBe("string");
          expect(value, key).toMatch(/\S/);
        }
      });

      it("fills in the same values as English", () => {
        for (const [key, value] of own) {
          const source = english.get(key);
          if (typeof source === "string" && typeof value === "string") {
            expect(placeholders(value), key).toEqual(placeholders(source));
          }
        }
      });
    });
  }

  it("has both plural forms of every plural", () => {
    for (const key of english.keys()) {
      const base = key.replace(/_(one|other)$/, "");
      if (base !== key)
        expect([english.has(`${base}_one`), english.has(`${base}_other`)], key).toEqual([true, true]);
    }
  });

  it("takes the language from the browser's tags", () => {
    expect(["sv-SE", "sv", "da-DK", "nb-NO", "no", "nn-NO", "en-US", "en-GB"].map(languageOf)).toEqual([
      "sv",
      "sv",
      "da",
      "nb",
      "nb",
      "nb",
      "en",
      "en",
    ]);
    expect(languageOf("de-DE")).toBeUndefined();
  });
});
