// One structured logger: a JSON line per event on stderr/stdout, so that production log
// pipelines can parse it and tests can spy on it.
type Fields = Record<string, unknown>;

function describeError(error: unknown) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}

function write(level: "info" | "warn" | "error", event: string, fields: Fields = {}) {
  const entry: Fields = {
    level,
    event,
    time: new Date().toISOString(),
    ...fields,
  };
  if (entry.error !== undefined) entry.error = describeError(entry.error);
  const line = JSON.stringify(entry);
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}

export const logger = {
  info: (event: string, fields?: Fields) => write("info", event, fields),
  warn: (event: string, fields?: Fields) => write("warn", event, fields),
  error: (event: string, fields?: Fields) => write("error", event, fields),
};
