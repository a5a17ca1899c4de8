import { defineConfig } from "vite";

// The client is built into dist/client and served by the Gemba server on the same origin.
// `npm run dev` proxies API, scene and WebSocket traffic to a running server on :2567.
const target = `http://127.0.0.1:${process.env["PORT"] ?? 2567}`;

export default defineConfig({
  root: "client",
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 6000,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": target,
      "/healthz": target,
      "/plants": target,
      "/matchmake": { target, ws: true },
    },
  },
});
