// GET /api/console/config: how the admin console signs in, read by it before anyone is signed in.
// Public, since it holds only what any sign-in page shows (client id, authority, scope).
import { getServices } from "../shared/composition.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

export const consoleConfig = httpFunction(routes.consoleConfig, async () => {
  const signIn = getServices().config.consoleSignIn;
  return jsonResponse(200, signIn ? { signIn: "entra", ...signIn } : { signIn: "token" }, {
    "Cache-Control": "no-cache",
  });
});
