// GET /api/groups: security groups, paged; $filter (startswith on displayName), $select and $count as Graph.
import type { Group } from "../shared/domain/model.js";
import { httpFunction } from "../shared/http/http-function.js";
import { requireEventualConsistency, selected } from "../shared/http/odata.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import {
  groupRepresentation,
  nextLinkOf,
  odataContextOf,
  selectedSet,
} from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import {
  countGroups,
  groupLicenseProcessing,
  listGroups as list,
  listGroupsWithLicenseErrors,
} from "../shared/usecases/read-groups.js";

export const listGroups = httpFunction(
  routes.listGroups,
  async ({ deps, actor, query, headers, request }) => {
    if (query.$count) requireEventualConsistency(headers.ConsistencyLevel, "$count=true");
    // As in Graph, licenseProcessingState comes on a listing only when $select names it: each is a read.
    const withProcessing = query.$select?.includes("licenseProcessingState") === true;
    const represented = (groups: readonly Group[]) =>
      Promise.all(
        groups.map(async (group) =>
          selected(
            groupRepresentation(
              group,
              withProcessing ? await groupLicenseProcessing(deps, actor.tenantId, group) : undefined,
            ),
            query.$select,
          ),
        ),
      );
    const { displayNamePrefix, withLicenseErrors } = query.$filter ?? {};
    const filter = displayNamePrefix === undefined ? {} : { displayNamePrefix };
    if (withLicenseErrors) {
      const groups = await listGroupsWithLicenseErrors(deps, actor.tenantId, displayNamePrefix);
      return jsonResponse(200, {
        ...odataContextOf(request.url, selectedSet("groups", query.$select)),
        ...(query.$count ? { "@odata.count": groups.length } : {}),
        value: await represented(groups),
      });
    }
    const [page, count] = await Promise.all([
      list(deps, actor.tenantId, {
        ...filter,
        top: query.$top,
        ...(query.skipToken ? { continuation: query.skipToken } : {}),
      }),
      query.$count ? countGroups(deps, actor.tenantId, filter) : undefined,
    ]);
    return jsonResponse(200, {
      ...odataContextOf(request.url, selectedSet("groups", query.$select)),
      ...(count === undefined ? {} : { "@odata.count": count }),
      value: await represented(page.items),
      ...nextLinkOf(request.url, page.continuation),
    });
  },
);
