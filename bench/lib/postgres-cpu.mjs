// CPU time of the PostgreSQL backends serving one application_name, read from /proc: only when
// the server runs on this machine (the benchmark's default); otherwise the figures are left out.
import pg from "pg";

import { cpuSeconds } from "./processes.mjs";

export async function backendCpu(databaseUrl, applicationName) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT "pid" FROM pg_stat_activity WHERE application_name = $1`,
      [applicationName],
    );
    const byPid = new Map();
    for (const { pid } of rows) {
      try {
        byPid.set(pid, cpuSeconds(pid));
      } catch {
        return null; // not readable: PostgreSQL runs elsewhere
      }
    }
    return byPid;
  } finally {
    await client.end();
  }
}

/** CPU seconds the backends used between two snapshots (backends started in between count whole). */
export function backendCpuDelta(before, after) {
  if (!before || !after) return null;
  let seconds = 0;
  for (const [pid, value] of after) seconds += value - (before.get(pid) ?? 0);
  return seconds;
}
