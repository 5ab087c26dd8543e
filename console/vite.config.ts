// Builds the admin console into dist/console, which functions/console.ts serves. Run through
// local/console-build.ts (`npm run build`), which also checks the bundle's size.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // local/console-build.ts checks the gzip size of the whole bundle against its budget instead.
    chunkSizeWarningLimit: 1024,
  },
  logLevel: "warn",
});
