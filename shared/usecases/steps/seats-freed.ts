// The message that sends freed seats to members of groups waiting for them (issue 19): committed
// with the change that freed them, so a waiting member is served without anyone asking.
import { type CloudEvent, cloudEvent } from "../../domain/events.js";
import type { Deps } from "../deps.js";

/** A licenses.seatsFreed message for the products named, or none when no product is named. */
export const seatsFreed = (
  deps: Pick<Deps, "newId">,
  tenantId: string,
  now: string,
  skuIds: readonly string[],
): CloudEvent[] =>
  skuIds.length === 0
    ? []
    : [cloudEvent("licenses.seatsFreed", deps.newId(), now, "skus", { tenantId, skuIds })];
