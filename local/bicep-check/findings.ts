// What the check reports: one finding per problem, with a stable code a test or a CI log can match.
import { relative } from "node:path";

export type FindingCode =
  | "syntax-error"
  | "undeclared-identifier"
  | "undeclared-type"
  | "unknown-function"
  | "unknown-decorator"
  | "duplicate-identifier"
  | "unused-declaration"
  | "missing-description"
  | "module-not-found"
  | "module-from-registry"
  | "module-param-missing"
  | "module-param-unknown"
  | "module-params-not-literal"
  | "module-output-unknown"
  | "nested-resource-unknown"
  | "resource-type-not-literal"
  | "resource-type-unknown"
  | "resource-parent-mismatch"
  | "load-file-missing"
  | "json-key-unknown"
  | "parameters-file-invalid"
  | "parameters-file-param-unknown"
  | "parameters-file-param-missing"
  | "function-app-not-found"
  | "app-settings-not-static"
  | "app-setting-missing"
  | "app-setting-empty"
  | "app-setting-unknown"
  | "app-setting-local-only"
  | "app-setting-flex-deprecated"
  | "identity-connection-incomplete";

export interface Finding {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly code: FindingCode;
  readonly message: string;
}

export function formatFinding(finding: Finding, cwd: string = process.cwd()): string {
  return `${relative(cwd, finding.file)}:${finding.line}:${finding.column} ${finding.code}: ${finding.message}`;
}
