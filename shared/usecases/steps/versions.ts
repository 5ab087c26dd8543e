// Versions (ETags) as the use cases speak them: the caller's If-Match, checked against the record
// read fresh in the same attempt that then writes under that very version, so a writer slipping in
// between fails the commit and the retry answers PreconditionFailed instead of overwriting.
import { ProblemError } from "../../domain/problem.js";
import type { IfMatch, TenantWrite, WrittenVersions } from "../ports.js";

/** Throws PreconditionFailed unless `version`, the record's current one, is among those asked for. */
export function requireVersion(ifMatch: IfMatch | undefined, version: string, what: string): void {
  if (ifMatch === undefined || ifMatch === "*" || ifMatch.includes(version)) return;
  throw new ProblemError(
    "PreconditionFailed",
    `${what} has changed since the ETag given in If-Match was read, so nothing was changed. ` +
      "GET it again for its current state and ETag, and retry with that ETag if the change still applies.",
  );
}

/** The version a commit gave the record `write` wrote. */
export function writtenVersion(versions: WrittenVersions, write: TenantWrite): string {
  const version = versions.get(write);
  // The adapters answer a version for every record they write: a missing one is a bug.
  if (version === undefined) throw new Error(`the commit answered no version for its ${write.kind}`);
  return version;
}
