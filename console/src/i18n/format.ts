// Dates, times and numbers in the console's language through Intl, never in one fixed format: a
// Swede reads "1 maj 2026", never "5/1/2026". The browser's own tag for the chosen language gives
// its region ("en-GB" writes "1 May 2026"); Norwegian is written as Bokmål.
import { findProduct, findServicePlan } from "../../../shared/domain/catalog.js";
import { currentLanguage, i18next, languageOf } from "./index.js";

/** The Intl locale for the chosen language: the browser's tag for it when it has one. */
export function intlLocale(): string {
  const language = currentLanguage();
  if (language === "nb") return "nb";
  return navigator.languages.find((tag) => languageOf(tag) === language) ?? language;
}

const asDate = (value: string | Date): Date => (typeof value === "string" ? new Date(value) : value);

/** "1 maj 2026", "May 1, 2026". */
export const formatDate = (value: string | Date): string =>
  new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium" }).format(asDate(value));

/** "1 maj 2026 14:02". */
export const formatDateTime = (value: string | Date): string =>
  new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeStyle: "short" }).format(asDate(value));

/** "14:02", "2:02 PM". */
export const formatTime = (value: string | Date): string =>
  new Intl.DateTimeFormat(intlLocale(), { timeStyle: "short" }).format(asDate(value));

/** "10 000", "10,000". */
export const formatNumber = (value: number): string => new Intl.NumberFormat(intlLocale()).format(value);

/** "Ada, Bo och Cy". */
export const formatList = (items: readonly string[]): string =>
  new Intl.ListFormat(intlLocale(), { type: "conjunction" }).format(items);

/** "Ada eller Bo". */
export const formatAlternatives = (items: readonly string[]): string =>
  new Intl.ListFormat(intlLocale(), { type: "disjunction" }).format(items);

/** A country's name in the language shown ("Norge", "Norway") for its ISO 3166-1 alpha-2 code. */
export const countryName = (code: string): string =>
  new Intl.DisplayNames([intlLocale()], { type: "region", fallback: "code" }).of(code) ?? code;

/** A product's name from the catalog the console already knows; never a bare skuId. */
export const productName = (skuId: unknown): string =>
  (typeof skuId === "string" ? findProduct(skuId)?.displayName : undefined) ??
  i18next.t("common.unknownProduct");

/** A service plan's friendly name, else its technical name. */
export const planName = (servicePlanId: unknown, fallback?: unknown): string =>
  (typeof servicePlanId === "string" ? findServicePlan(servicePlanId)?.displayName : undefined) ??
  (typeof fallback === "string" ? fallback : String(servicePlanId));

/** "3 minutes ago", "för 3 minuter sedan", "now": how long ago, in the largest whole unit. */
export function formatAgo(value: Date, now: Date = new Date()): string {
  const format = new Intl.RelativeTimeFormat(intlLocale(), { numeric: "auto" });
  const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return format.format(seconds < 0 && seconds > -10 ? 0 : seconds, "second");
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return format.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return format.format(hours, "hour");
  return format.format(Math.round(hours / 24), "day");
}
