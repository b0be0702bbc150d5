import { defineConfig } from "vite";

/**
 * One self-contained IIFE, `dist/widget.js`: no module loader, no framework and
 * no global but `YunxiWidget` on the host page. The Yunxi server serves it at `/widget.js`.
 */
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2019",
    lib: {
      entry: "src/main.ts",
      name: "YunxiWidget",
      formats: ["iife"],
      fileName: () => "widget.js",
    },
  },
});
