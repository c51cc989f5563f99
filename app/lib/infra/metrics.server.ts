// Process-local counters in the Prometheus text format (served at /metrics). They describe this
// process only; durable facts (clicks, signups) live in PostgreSQL.
type Labels = Record<string, string>;

const counters = new Map<string, { help: string; values: Map<string, number> }>();
const gauges = new Map<string, { help: string; read: () => number }>();

function labelKey(labels: Labels = {}) {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}="${value.replace(/["\\\n]/g, "_")}"`)
    .join(",");
}

export function defineCounter(name: string, help: string) {
  if (!counters.has(name)) counters.set(name, { help, values: new Map() });
  const counter = counters.get(name)!;
  return {
    increment(labels?: Labels, by = 1) {
      const key = labelKey(labels);
      counter.values.set(key, (counter.values.get(key) ?? 0) + by);
    },
    value(labels?: Labels) {
      return counter.values.get(labelKey(labels)) ?? 0;
    },
    /** A counter bound to fixed labels (the label key is computed once, not per increment). */
    withLabels(labels: Labels) {
      const key = labelKey(labels);
      return {
        increment(by = 1) {
          counter.values.set(key, (counter.values.get(key) ?? 0) + by);
        },
      };
    },
  };
}

export function defineGauge(name: string, help: string, read: () => number) {
  gauges.set(name, { help, read });
}

export function renderMetrics(): string {
  const lines: string[] = [];
  for (const [name, { help, values }] of counters) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    if (values.size === 0) lines.push(`${name} 0`);
    for (const [key, value] of values) lines.push(`${name}${key ? `{${key}}` : ""} ${value}`);
  }
  for (const [name, { help, read }] of gauges) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${read()}`);
  }
  return `${lines.join("\n")}\n`;
}
