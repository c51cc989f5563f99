// Preloaded into the Prisma CLI (see scripts/prisma.mjs). Prisma's wasm schema
// engine leaves a 10 s timer behind after `migrate deploy`; unref-ing timers of
// 5 s or more lets the CLI exit as soon as its work is done.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (typeof delay === "number" && delay >= 5000 && typeof timer?.unref === "function")
    timer.unref();
  return timer;
};
