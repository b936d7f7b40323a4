/**
 * Keeps the OpenAPI contract clean (npm run lint:openapi; part of `npm test`'s pretest):
 *  1. builds the document as the Worker serves it (in process, no server),
 *  2. lints it with Redocly CLI's recommended ruleset (redocly.yaml): any error fails, and so
 *     does any warning not accepted below (each accepted one is justified in docs/api-contract.md),
 *  3. generates TypeScript types with openapi-typescript and checks that its `operations`
 *     type names every operation.
 * Offline: both tools are dev dependencies and read only the local file.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { buildSpec, operationIds } from "./lib/openapi-spec";

/** Warnings accepted as they are: rule and JSON pointer (see docs/api-contract.md, "Lint"). */
const ACCEPTED_WARNINGS = [
  { rule: "operation-4xx-response", pointer: "#/paths/~1health~1live/get/responses" },
  { rule: "operation-4xx-response", pointer: "#/paths/~1health~1ready/get/responses" },
];

type Problem = { ruleId: string; severity: "error" | "warn"; message: string; location: { pointer: string }[] };

function lint(file: string): Problem[] {
  const cli = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");
  const run = spawnSync(process.execPath, [cli, "lint", file, "--config", "redocly.yaml", "--format", "json"], {
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", DO_NOT_TRACK: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const start = run.stdout.indexOf("{");
  if (start < 0) throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stderr}`);
  return (JSON.parse(run.stdout.slice(start)) as { problems: Problem[] }).problems;
}

async function main() {
  const spec = await buildSpec();
  const dir = mkdtempSync(join(tmpdir(), "kensho-openapi-"));
  const file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(spec, null, 2));
  let failures = 0;
  try {
    const problems = lint(file);
    const accepted = (p: Problem) => p.severity === "warn" && ACCEPTED_WARNINGS.some((a) => a.rule === p.ruleId && p.location.some((l) => l.pointer === a.pointer));
    const errors = problems.filter((p) => p.severity === "error");
    const warnings = problems.filter((p) => p.severity !== "error");
    for (const p of problems) {
      const tag = p.severity === "error" ? "error" : accepted(p) ? "warning (accepted)" : "warning";
      console.log(`${tag}  ${p.ruleId}  ${p.location[0]?.pointer ?? ""}  ${p.message}`);
    }
    const unaccepted = warnings.filter((p) => !accepted(p));
    failures += errors.length + unaccepted.length;
    console.log(`redocly lint (recommended): ${errors.length} errors, ${warnings.length} warnings (${warnings.length - unaccepted.length} accepted)`);

    const types = astToString(await openapiTS(spec as unknown as Parameters<typeof openapiTS>[0]));
    const block = /export interface operations \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? "";
    const ids = operationIds(spec);
    const missing = ids.filter((id) => !id || !new RegExp(`^    ${id}: \\{`, "m").test(block));
    failures += missing.length;
    console.log(`openapi-typescript: operations has ${ids.length - missing.length} of ${ids.length} operations${missing.length ? `; missing: ${missing.join(", ")}` : ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    console.error(`lint:openapi: ${failures} problem(s)`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
