// GET /api/console/config: how the admin console signs in, read by it before anyone is signed in, and
// how long data is kept (for its warnings). Public: it holds only what any sign-in page shows.
import { getServices } from "../shared/composition.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

export const consoleConfig = httpFunction(routes.consoleConfig, async () => {
  const { consoleSignIn: signIn, retentionPeriodMs } = getServices().config;
  const retentionSeconds = Math.floor(retentionPeriodMs / 1000);
  return jsonResponse(
    200,
    signIn ? { signIn: "entra", ...signIn, retentionSeconds } : { signIn: "token", retentionSeconds },
    {
      "Cache-Control": "no-cache",
    },
  );
});
