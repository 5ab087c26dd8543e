// GET /api/openapi.json: the OpenAPI 3.1 document, generated from the route list and its schemas.

import { httpFunction } from "../shared/http/http-function.js";
import { buildOpenApiDocument } from "../shared/http/openapi.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

let document: unknown;

export const openApi = httpFunction(routes.openApi, async () => {
  document ??= buildOpenApiDocument(Object.values(routes));
  return jsonResponse(200, document);
});
