// The IANA zones the app accepts: well-formed names Intl knows (lib/infra/time-zone.ts) that the
// database knows too, spelled exactly as in its list, since every local day is computed by
// PostgreSQL's AT TIME ZONE (an unknown name there is an error, a POSIX string like "+05:30"
// means the opposite offset).
import { db } from "~/db.server";
import { isTimeZone } from "~/lib/infra/time-zone";

let databaseZones: Promise<Set<string>> | undefined;

function loadDatabaseZones(): Promise<Set<string>> {
  databaseZones ??= db.pool
    .query<{ name: string }>(`SELECT "name" FROM pg_timezone_names`)
    .then(({ rows }) => new Set(rows.map((row) => row.name)))
    .catch((error: unknown) => {
      databaseZones = undefined;
      throw error;
    });
  return databaseZones;
}

/** True for a zone name both Intl and PostgreSQL know, spelled as the tz database spells it. */
export async function isSupportedTimeZone(zone: string): Promise<boolean> {
  if (!isTimeZone(zone)) return false;
  return (await loadDatabaseZones()).has(zone);
}
