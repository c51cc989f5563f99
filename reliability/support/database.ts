// Direct access to the suite's database for the faults a scenario inflicts (a table lock held
// from another connection, terminated connections) and for checking what was committed.
import pg from "pg";

export function adminClient() {
  return new pg.Client({ connectionString: process.env.DATABASE_URL });
}

/** Terminates every connection an app instance holds (by its application_name); returns how many. */
export async function terminateConnectionsOf(applicationName: string): Promise<number> {
  const client = adminClient();
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS "terminated" FROM pg_stat_activity
        WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [applicationName],
    );
    return rows.filter((row) => row.terminated).length;
  } finally {
    await client.end();
  }
}

/** How many of the click ids are committed rows. */
export async function committedClicks(clickIds: string[]): Promise<number> {
  const unique = [...new Set(clickIds)];
  if (unique.length === 0) return 0;
  const client = adminClient();
  await client.connect();
  try {
    const { rows } = await client.query<{ found: number }>(
      `SELECT count(*)::int AS "found" FROM "StoreReferral" WHERE "id" = ANY($1::uuid[])`,
      [unique],
    );
    return rows[0]?.found ?? 0;
  } finally {
    await client.end();
  }
}

export const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
