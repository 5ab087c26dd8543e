// Who acts when no caller does: the worker, the sweeps and the queue's producers (audit lines name it).
import type { Actor } from "../../domain/model.js";

export const systemActor = (tenantId: string, objectId = "provisioning-worker"): Actor => ({
  tenantId,
  objectId,
  roles: [],
});
