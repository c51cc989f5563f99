// Shopify's Admin API schema, offline: @shopify/dev-mcp (pinned in package.json) ships the
// introspection result of every supported Admin API version as dist/data/admin_<version>.json.gz.
// The codegen (.graphqlrc.ts) reads the unpacked file; the schema test builds a GraphQLSchema.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

// The package exports no path to its data files, so it is found where npm installs it.
function packedSchemaPath(apiVersion) {
  return path.join(root, "node_modules/@shopify/dev-mcp/dist/data", `admin_${apiVersion}.json.gz`);
}

/** The introspection result (`{ data: { __schema } }`) of one Admin API version. */
export function readAdminIntrospection(apiVersion) {
  const packed = packedSchemaPath(apiVersion);
  if (!existsSync(packed)) {
    throw new Error(`@shopify/dev-mcp has no Admin API schema for ${apiVersion} (${packed})`);
  }
  return JSON.parse(gunzipSync(readFileSync(packed)).toString("utf8"));
}

/**
 * Unpacks one version's introspection into `dir` as `admin-<version>.schema.json`, the file name
 * @shopify/api-codegen-preset looks for before it would download the schema. Returns its path.
 */
export function unpackAdminSchema(apiVersion, dir = path.join(root, "app/types")) {
  const file = path.join(dir, `admin-${apiVersion}.schema.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(readAdminIntrospection(apiVersion)));
  }
  return file;
}
