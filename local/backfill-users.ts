// `npm run backfill-users`: gives user rows written before the case-insensitive startswith filters
// their lower-cased copies (shared/storage/user-search-backfill.ts), in the storage the
// configuration (or the local default) points at. Safe to run again, and while the service runs.

import { createTableClient } from "../shared/storage/table-client.js";
import { backfillUserSearchFields } from "../shared/storage/user-search-backfill.js";
import { localServices } from "./local-services.js";

const { config, stop } = await localServices({ inMemory: false });
try {
  const { scanned, updated } = await backfillUserSearchFields(createTableClient(config));
  console.log(
    `Scanned ${scanned} users; gave ${updated} of them displayNameLower and userPrincipalNameLower.`,
  );
} finally {
  await stop();
}
