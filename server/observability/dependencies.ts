// Whether this process can reach the services it depends on (the database, Redis) right
// now, in one place: /readyz shows it, a gauge exports it, and each change of state is
// one log line, so an operator sees a blip begin and end without reading stack traces.
//
// The gauge is registered here, beside the state it reports, rather than in metrics.ts.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export type Dependency = 'database' | 'redis';
export type CheckState = 'ok' | 'unavailable';

export class Dependencies {
  readonly #up = new Map<Dependency, boolean>();
  readonly #gauge: Gauge<'dependency'>;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Rejections nothing else handled (main.ts counts them here; see README "Degraded modes"). */
  readonly unhandledRejections: Counter;

  constructor(
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.#gauge = new Gauge({
      name: 'floatline_dependency_up',
      help: 'Whether a dependency answers (1) or not (0)',
      labelNames: ['dependency'] as const,
      registers: [registry],
    });
    this.unhandledRejections = new Counter({
      name: 'floatline_unhandled_rejections_total',
      help: 'Promise rejections no code handled (logged as unhandled_rejection)',
      registers: [registry],
    });
  }

  /** Records the current state; logs only when it changes (the first "up" is not news). */
  set(dependency: Dependency, up: boolean, error?: unknown): void {
    const was = this.#up.get(dependency);
    this.#up.set(dependency, up);
    this.#gauge.set({ dependency }, up ? 1 : 0);
    if (was === up) return;
    if (!up) {
      const reason = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
      this.log.warn({ event: 'dependency_down', dependency, reason }, `${dependency} is unavailable`);
    } else if (was === false) {
      this.log.info({ event: 'dependency_up', dependency }, `${dependency} is available again`);
    }
  }

  isUp(dependency: Dependency): boolean | undefined {
    return this.#up.get(dependency);
  }

  /** Every tracked dependency's state, database first, for /readyz. */
  checks(): Partial<Record<Dependency, CheckState>> {
    const out: Partial<Record<Dependency, CheckState>> = {};
    for (const d of ['database', 'redis'] as const) {
      const up = this.#up.get(d);
      if (up !== undefined) out[d] = up ? 'ok' : 'unavailable';
    }
    return out;
  }

  /** Probes a dependency every intervalMs so the gauge moves even when nobody asks /readyz. */
  watch(dependency: Dependency, probe: () => Promise<boolean>, intervalMs: number): void {
    const timer = setInterval(() => {
      probe().then(
        (up) => this.set(dependency, up),
        (err) => this.set(dependency, false, err),
      );
    }, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
  }
}
