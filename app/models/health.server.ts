// Whether PostgreSQL answers, for GET /healthz: reported, never a reason to stop serving (the
// referral links keep redirecting while the database is down).
import { db } from "~/db.server";

const DATABASE_CHECK_TIMEOUT_MS = 1_000;

/** True when `SELECT 1` answers within a second. */
export async function isDatabaseReachable(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const answered = db.pool.query("SELECT 1").then(
    () => true,
    () => false,
  );
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, DATABASE_CHECK_TIMEOUT_MS, false);
  });
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
