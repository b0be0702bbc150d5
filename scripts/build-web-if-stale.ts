import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** `npm start` builds the web app only when its sources are newer than the last build. */
const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "apps/web/dist/index.html");
const sources = ["apps/web/src", "apps/web/index.html", "apps/web/vite.config.ts", "packages/contracts/src"];

function newest(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(target).map((name) => newest(path.join(target, name))));
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
if (builtAt === 0 || sources.some((s) => newest(path.join(root, s)) > builtAt)) {
  console.log("Building the web app (first start or changed sources)…");
  execSync("npm run -s build -w @yunxi/web", { cwd: root, stdio: "inherit" });
}

// The web chat widget (apps/widget → dist/widget.js, served at /widget.js), likewise.
const widgetBuilt = path.join(root, "apps/widget/dist/widget.js");
const widgetBuiltAt = fs.existsSync(widgetBuilt) ? fs.statSync(widgetBuilt).mtimeMs : 0;
if (
  widgetBuiltAt === 0 ||
  ["apps/widget/src", "packages/contracts/src"].some((s) => newest(path.join(root, s)) > widgetBuiltAt)
) {
  console.log("Building the web chat widget…");
  execSync("npm run -s build -w @yunxi/widget", { cwd: root, stdio: "inherit" });
}
