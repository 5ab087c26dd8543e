// The countdown of a retention window (a deleted user's restore, a retained mailbox), in whole days.

import { i18next } from "../i18n/index.js";

const dayMs = 24 * 60 * 60 * 1000;

/** Whole days left until `until` (a part of a day counts as a day), never below 0. */
export function daysLeft(until: string, now = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(until) - now) / dayMs));
}

export const daysLeftText = (days: number): string => i18next.t("users.daysLeft", { count: days });
