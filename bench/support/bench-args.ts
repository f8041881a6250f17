/**
 * A tiny command-line reader for the bench scripts: `--name value`,
 * `--name=value` and bare `--flag`. Unknown options stop the run with the list
 * of known ones, so a typo never silently benchmarks the defaults.
 */
export class BenchArgs {
  private readonly values = new Map<string, string | true>();

  constructor(
    argv: readonly string[],
    private readonly known: Readonly<Record<string, string>>,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (name === 'help') {
        this.values.set('help', true);
        continue;
      }
      if (!(name in known)) throw new Error(`unknown option --${name}\n${this.usage()}`);
      if (eq !== -1) this.values.set(name, arg.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) this.values.set(name, argv[++i]);
      else this.values.set(name, true);
    }
  }

  usage(): string {
    const width = Math.max(...Object.keys(this.known).map((k) => k.length)) + 2;
    return ['options:', ...Object.entries(this.known).map(([k, doc]) => `  --${k.padEnd(width)} ${doc}`)].join('\n');
  }

  get help(): boolean {
    return this.values.has('help');
  }

  flag(name: string): boolean {
    const v = this.values.get(name);
    return v === true || v === 'true' || v === '1';
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string, fallback: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : fallback;
  }

  /** A number within [min, max]; anything else stops the run. */
  number(name: string, fallback: number, min: number, max: number): number {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    const n = typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return n;
  }

  /** Every `--name KEY=VALUE` given (the option may repeat only as a comma-separated list). */
  pairs(name: string): Record<string, string> {
    const v = this.values.get(name);
    if (typeof v !== 'string') return {};
    const out: Record<string, string> = {};
    for (const pair of v.split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--${name} takes KEY=VALUE[,KEY=VALUE…]`);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    return out;
  }
}
