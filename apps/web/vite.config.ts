import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv } from "vite";

export default defineConfig(({ mode }) => {
  // Where `vite` (dev) and `vite preview` forward the API and the realtime socket.
  const server = loadEnv(mode, ".", "YUNXI_").YUNXI_API_TARGET || "http://127.0.0.1:3000";
  const proxy = {
    "/api": { target: server },
    "/socket.io": { target: server, ws: true },
  };
  return {
    plugins: [react()],
    // The production server serves dist/ at `/`; API paths are relative (`/api/...`).
    base: "/",
    build: {
      outDir: "dist",
      emptyOutDir: true,
      // antd (tables, forms of the admin console included) is one long-cached chunk, ~320 kB gzipped.
      chunkSizeWarningLimit: 1200,
      rolldownOptions: {
        output: {
          // Libraries change less often than the app: separate chunks stay cached across deploys.
          codeSplitting: {
            groups: [
              // Charts only for the dashboard and reports: their own chunk, not in every page's download.
              { name: "echarts", test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 4 },
              { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
              { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+)[\\/]/, priority: 2 },
              { name: "vendor", test: /node_modules/, priority: 1 },
            ],
          },
        },
      },
    },
    server: { proxy },
    preview: { proxy },
  };
});
