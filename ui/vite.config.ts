/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The Tauri app loads `devUrl` http://localhost:1420 in dev and `ui/dist` when packaged.
export default defineConfig({
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    restoreMocks: true,
  },
});
