// GET /api/skus: the product catalog.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { odataContextOf, skuRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listCatalog } from "../shared/usecases/read-catalog.js";

export const listSkus = httpFunction(routes.listSkus, async ({ request }) =>
  jsonResponse(200, { ...odataContextOf(request.url, "skus"), value: listCatalog().map(skuRepresentation) }),
);
