// The Users list as a CSV file: every page of the view's queries (its search, filter, product and
// sort; not only the rows loaded), each user once, in the list's order, with their names and words
// in the console's language (products by name, the country by name, yes/no, member/guest).
import { type ApiClient, refusalText, type User } from "../api/client.js";
import { csvText } from "../components/csv.js";
import { skipTokenOf } from "../components/paged-list.js";
import { countryName, productName } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { compareUsers, type ListView, pageRequest, queriesFor } from "./users-query.js";

/** Users a request reads: the API's largest page. */
const exportPageSize = 999;

export interface ExportProgress {
  readonly read: number;
  /** How many the queries take (`$count`); a search's two queries may count a user twice. */
  readonly total: number;
}

/** Every user of the view, in order; or the refusal's words. */
export async function allUsersOf(
  api: ApiClient,
  view: ListView,
  onProgress: (progress: ExportProgress) => void,
): Promise<{ readonly users: readonly User[] } | { readonly failed: string }> {
  const queries = queriesFor(view);
  const totals = queries.map(() => 0);
  let read = 0;
  const found = await Promise.all(
    queries.map(async (query, index) => {
      const users: User[] = [];
      let skipToken: string | undefined;
      do {
        const { data, error, response } = await api.GET("/api/users", {
          params: pageRequest(query, {
            ...(view.sort ? { sort: view.sort } : {}),
            top: exportPageSize,
            ...(skipToken ? { skipToken } : { count: true }),
          }),
        });
        if (!data) return { failed: refusalText(error, response) };
        if (!skipToken) totals[index] = data["@odata.count"] ?? data.value.length;
        const page = data.value.filter((user): user is User => user.assignedLicenses !== undefined);
        users.push(...page);
        read += page.length;
        onProgress({
          read,
          total: Math.max(
            read,
            totals.reduce((sum, n) => sum + n, 0),
          ),
        });
        skipToken = skipTokenOf(data["@odata.nextLink"]);
      } while (skipToken);
      return { users };
    }),
  );
  const failed = found.find((answer) => "failed" in answer);
  if (failed && "failed" in failed) return { failed: failed.failed };
  const seen = new Set<string>();
  const users = found
    .flatMap((answer) => ("users" in answer ? answer.users : []))
    .filter((user) => !seen.has(user.id) && seen.add(user.id) !== undefined)
    .sort(compareUsers(view.sort));
  return { users };
}

/** The CSV's text: a header row in the console's language, then a row per user. */
export function usersCsv(users: readonly User[]): string {
  const t = i18next.t;
  const header = [
    t("users.displayName"),
    t("users.userName"),
    t("users.licenses"),
    t("usersList.usageLocation"),
    t("usersList.accountEnabled"),
    t("usersList.userType"),
  ];
  const rows = users.map((user) => [
    user.displayName,
    user.userPrincipalName,
    user.assignedLicenses.map((license) => productName(license.skuId)).join("; "),
    user.usageLocation ? countryName(user.usageLocation) : "",
    user.accountEnabled ? t("usersList.yes") : t("usersList.no"),
    user.userType === "Guest" ? t("usersList.guest") : t("usersList.member"),
  ]);
  return csvText([header, ...rows]);
}
