// Microsoft Graph's JSON batch (`POST /v1.0/$batch`): the request and response shapes, validated
// with zod like every other body and shown in the OpenAPI document.
import { z } from "zod";

/** Graph's limit on the requests of one batch. */
export const maxBatchRequests = 20;

const batchRequestStep = z.strictObject({
  id: z.string().min(1).max(100).meta({ description: "Unique within the batch; echoed in its response" }),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, "must be an HTTP method such as GET or POST")
    .meta({ description: "GET, POST, PATCH or DELETE (case-insensitive)" }),
  url: z.string().min(1).max(2048).meta({
    description:
      "Relative to the version, with or without a leading slash: `users/{id}/assignLicense`, `/subscribedSkus?$top=5`",
  }),
  headers: z.record(z.string(), z.string()).optional().meta({
    description:
      "The request's own headers; Content-Type is required with a body. Authorization is the batch's",
  }),
  body: z.unknown().optional().meta({ description: "A JSON value, sent as the request's body" }),
  dependsOn: z.array(z.string()).max(maxBatchRequests).optional().meta({
    description: "Ids of requests that must succeed first; if one fails this one answers 424",
  }),
});

export type BatchRequestStep = z.output<typeof batchRequestStep>;

/** The ids among `requests` that depend, directly or not, on themselves. */
function idsInCycles(requests: readonly BatchRequestStep[]): string[] {
  const dependencies = new Map(requests.map((request) => [request.id, request.dependsOn ?? []]));
  const reachesItself = (start: string): boolean => {
    const seen = new Set<string>();
    const pending = [...(dependencies.get(start) ?? [])];
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      if (id === start) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      pending.push(...(dependencies.get(id) ?? []));
    }
    return false;
  };
  return [...dependencies.keys()].filter(reachesItself);
}

export const batchBody = z
  .strictObject({
    requests: z
      .array(batchRequestStep)
      .min(1, "a batch needs at least one request")
      .max(maxBatchRequests, `a batch holds at most ${maxBatchRequests} requests; split it`),
  })
  .superRefine(({ requests }, context) => {
    const ids = new Set<string>();
    requests.forEach((request, index) => {
      if (ids.has(request.id)) {
        context.addIssue({
          code: "custom",
          path: ["requests", index, "id"],
          message: `the id ${request.id} is used by an earlier request; ids must be unique`,
        });
      }
      ids.add(request.id);
    });
    requests.forEach((request, index) => {
      for (const dependency of request.dependsOn ?? []) {
        if (!ids.has(dependency)) {
          context.addIssue({
            code: "custom",
            path: ["requests", index, "dependsOn"],
            message: `depends on ${dependency}, which is not a request of this batch`,
          });
        }
      }
    });
    const cyclic = idsInCycles(requests);
    if (cyclic.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["requests"],
        message: `the dependsOn of requests ${cyclic.join(", ")} form a cycle`,
      });
    }
  })
  .meta({
    id: "BatchRequest",
    description:
      `Up to ${maxBatchRequests} requests with unique ids; dependsOn names earlier or later requests of ` +
      "the same batch, without cycles.",
  });

export const batchResponse = z
  .object({
    responses: z.array(
      z.object({
        id: z.string(),
        status: z.number().int(),
        headers: z.record(z.string(), z.string()),
        body: z.unknown().optional().meta({ description: "The response's JSON body, if it has one" }),
      }),
    ),
  })
  .meta({
    id: "BatchResponse",
    description:
      "One response per request, in the order of the requests (Graph allows any: match them by id)",
  });
