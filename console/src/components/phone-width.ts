// Phone widths (≤ 640 px): the media query the styles use, and a hook for what is laid out otherwise
// there (the navigation becomes a drawer opened from the banner).
import { useSyncExternalStore } from "react";

/** The media query of phone widths, for styles (`[\`@media ${phoneWidth}\`]`). */
export const phoneWidth = "(max-width: 640px)";

const subscribe = (changed: () => void) => {
  const query = window.matchMedia(phoneWidth);
  query.addEventListener("change", changed);
  return () => query.removeEventListener("change", changed);
};

/** Whether the window is phone-wide now; the component renders again when that changes. */
export function usePhoneWidth(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(phoneWidth).matches);
}
