#!/usr/bin/env node
// `npm start` calls this first: it rebuilds the server and the web app only when a source file is newer than the
// build, so a normal start costs a few milliseconds instead of a full TypeScript and Vite build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

const builds = [
  {
    name: "server",
    script: "build:server",
    output: "dist/cli/main.js",
    sources: ["src", "tsconfig.json", "tsconfig.build.json"],
  },
  {
    name: "web app",
    script: "build:web",
    output: "web/dist/index.html",
    sources: ["web/src", "web/index.html", "web/vite.config.ts"],
  },
];

for (const build of builds) {
  const built = newestMtime(path.join(root, build.output));
  const changed = Math.max(...build.sources.map((source) => newestMtime(path.join(root, source))));
  if (built >= changed) continue;
  process.stderr.write(
    `promptloop: building the ${build.name} (${built ? "sources changed" : "first start"})\n`,
  );
  const result = spawnSync("npm", ["run", "--silent", build.script], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
