// The served OpenAPI document, checked by the linter API platforms use: `@redocly/cli lint` with
// its recommended rules (pinned in package.json; runs offline, telemetry off) must find no error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import * as openApiRoute from "~/routes/api.v1.openapi[.]json";
import { apiRequest, callApi } from "~/test/api";

const root = path.resolve(__dirname, "../../../..");
const dir = mkdtempSync(path.join(tmpdir(), "openapi-lint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Warnings of the recommended rules that the document keeps on purpose (README, Integration API):
// the API is the app's own, under no public licence, and GET /api/v1/openapi.json answers every
// GET with 200 (a 4XX it can never send would be a false promise).
const ACCEPTED_WARNINGS = ["info-license", "operation-4xx-response"];

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: "error" | "warn"; message: string }[];
}

function lint(document: unknown, name: string): LintReport {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(document, null, 2));
  writeFileSync(path.join(dir, "redocly.yaml"), "extends:\n  - recommended\n");
  const result = spawnSync(
    path.join(root, "node_modules/.bin/redocly"),
    ["lint", "--config", path.join(dir, "redocly.yaml"), "--format", "json", file],
    {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      timeout: 60_000,
    },
  );
  if (!result.stdout) throw new Error(`redocly lint printed no report: ${result.stderr}`);
  return JSON.parse(result.stdout) as LintReport;
}

async function servedDocument() {
  const response = await callApi(openApiRoute, apiRequest("/api/v1/openapi.json"));
  expect(response.status).toBe(200);
  return response.body;
}

describe("the served OpenAPI document under @redocly/cli lint (recommended)", () => {
  it("has zero errors, and only the warnings the README lists", async () => {
    // GIVEN the document GET /api/v1/openapi.json serves
    const document = await servedDocument();
    // WHEN Redocly lints it with the recommended rules
    const report = lint(document, "openapi.json");
    // THEN no rule reports an error, and no warning is new
    expect(report.problems.filter((problem) => problem.severity === "error")).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.problems.map((problem) => problem.ruleId).sort()).toEqual(ACCEPTED_WARNINGS);
  });

  it("reports an error on a broken document (the check can fail)", async () => {
    // GIVEN the served document with a parameter that refers to nothing
    const document = (await servedDocument()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const [firstPath] = Object.keys(document.paths);
    document.paths[firstPath!]!.get!.parameters = [{ $ref: "#/components/parameters/Missing" }];
    // WHEN it is linted THEN the dangling reference is an error
    const report = lint(document, "broken.json");
    const errors = report.problems.filter((problem) => problem.severity === "error");
    expect(errors.map((problem) => problem.ruleId)).toContain("no-unresolved-refs");
  });
});
