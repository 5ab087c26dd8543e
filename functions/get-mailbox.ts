// GET /api/users/{id}/mailbox: the user's mailbox and its state (R17–R21).
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { mailboxRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser } from "../shared/usecases/read-users.js";

export const getMailbox = httpFunction(routes.getMailbox, async ({ deps, actor, param }) =>
  jsonResponse(200, mailboxRepresentation(await getUser(deps, actor.tenantId, param("id")))),
);
