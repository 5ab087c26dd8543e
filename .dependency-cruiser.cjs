// The layer rules of docs/architecture.md, checked by dependency-cruiser:
// `npm run lint:layers`, `npm run check`, and `npm test` (test/infra/layers.test.ts) run it.
// Each rule is named for what it keeps true; a violation is an error, never a warning.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-no-azure-sdk",
      comment: "shared/domain holds pure licensing rules: no Azure SDK (@azure/*) in it.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { path: "(^|/)node_modules/@azure/" },
    },
    {
      name: "domain-does-no-node-io",
      comment:
        "shared/domain does no I/O: no Node built-in module (node:fs, node:net, node:http, " +
        "node:child_process, ...). It uses none at all today, not even node:crypto: ids come from deps.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "domain-imports-only-domain",
      comment:
        "shared/domain imports nothing else of shared/: not storage, messaging, http, auth, use cases, " +
        "config or composition. The outer layers depend on the domain, never the other way round.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { path: "^shared/", pathNot: "^shared/domain/" },
    },
    {
      name: "shared-does-not-import-functions-local-test-or-bench",
      comment:
        "shared/ is the application; functions/ (the triggers), local/ (the local host and tools), " +
        "test/ and bench/ are built on it, so it may not import them.",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(functions|local|test|bench)/" },
    },
    {
      name: "functions-call-use-cases-not-storage",
      comment:
        "A function parses its input, calls a use case and shapes the response: it never reaches the " +
        "Table Storage adapter in shared/storage/ directly.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^shared/storage/" },
    },
    {
      name: "only-the-registry-and-hosts-import-functions",
      comment:
        "A function module is loaded only through functions/registry.ts (the one list of functions), " +
        "functions/main.ts (the Functions host's entry point), local/ (the local host) and test/.",
      severity: "error",
      from: { pathNot: "^(functions/(registry|main)\\.ts|local/|test/)" },
      to: { path: "^functions/" },
    },
    {
      name: "use-cases-depend-on-ports-not-adapters",
      comment:
        "A use case talks to storage and the queue through ports (shared/usecases/ports.ts), never to " +
        "an adapter (shared/storage, shared/messaging, shared/http, shared/auth): composition.ts plugs " +
        "the adapters in, and a test can plug in fakes.",
      severity: "error",
      from: { path: "^shared/usecases/" },
      to: { path: "^shared/(storage|messaging|http|auth)/" },
    },
    {
      name: "concurrency-imports-only-domain-and-ports",
      comment:
        "shared/concurrency holds mechanisms (locks, batching, retries, bounded parallelism) that use " +
        "cases build on: it imports nothing of shared/ but the domain, itself and the use cases' ports " +
        "(shared/usecases/ports.ts), so it knows no operation and no adapter.",
      severity: "error",
      from: { path: "^shared/concurrency/" },
      to: { path: "^shared/", pathNot: "^shared/(domain/|concurrency/|usecases/ports\\.ts$)" },
    },
    {
      name: "only-use-cases-import-steps",
      comment:
        "shared/usecases/steps holds building blocks of operations: a function, an adapter or a " +
        "mechanism calls an operation (a file at the top of shared/usecases), never one of its steps.",
      severity: "error",
      from: { path: "^(shared|functions|local|bench)/", pathNot: "^shared/usecases/" },
      to: { path: "^shared/usecases/steps/" },
    },
    {
      name: "console-imports-only-the-domain",
      comment:
        "The admin console (console/) runs in the browser: of the service's code it may import only " +
        "the pure domain (shared/domain/, e.g. the role table), never an adapter, a use case or Node code.",
      severity: "error",
      from: { path: "^console/" },
      to: { path: "^(shared|functions|local|test|bench)/", pathNot: "^shared/domain/" },
    },
    {
      name: "no-circular-dependencies-in-shared",
      comment: "Modules of shared/ never import each other in a circle, directly or through others.",
      severity: "error",
      from: { path: "^shared/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
