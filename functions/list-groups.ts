// GET /api/groups: security groups, paged; $filter (startswith on displayName), $select and $count as Graph.
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
  listGroups as list,
  listGroupsWithLicenseErrors,
} from "../shared/usecases/read-groups.js";

export const listGroups = httpFunction(
  routes.listGroups,
  async ({ deps, actor, query, headers, request }) => {
    if (query.$count) requireEventualConsistency(headers.ConsistencyLevel, "$count=true");
    const { displayNamePrefix, withLicenseErrors } = query.$filter ?? {};
    const filter = displayNamePrefix === undefined ? {} : { displayNamePrefix };
    if (withLicenseErrors) {
      const groups = await listGroupsWithLicenseErrors(deps, actor.tenantId, displayNamePrefix);
      return jsonResponse(200, {
        ...odataContextOf(request.url, selectedSet("groups", query.$select)),
        ...(query.$count ? { "@odata.count": groups.length } : {}),
        value: groups.map((group) => selected(groupRepresentation(group), query.$select)),
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
      value: page.items.map((group) => selected(groupRepresentation(group), query.$select)),
      ...nextLinkOf(request.url, page.continuation),
    });
  },
);
