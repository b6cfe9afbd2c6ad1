import { percentile } from '../scratch';

/*
 * Every request the load makes, as it was answered: its route class, the
 * replica, the status (0 when no answer came: a refused connection or a
 * reset), the time it took and when it was sent, relative to the start of
 * the load. Fault windows are recorded beside it, so that a 5xx can be told
 * apart from one a fault explains.
 */

export type RouteClass =
  | 'read: entity page'
  | 'read: portfolio'
  | 'read: other'
  | 'write: trust entry'
  | 'write: trust revert'
  | 'write: pulse'
  | 'write: phases'
  | 'write: transition';

export interface Sample {
  routeClass: RouteClass;
  /** The operation, `recordTrustEntry`, for per-route coverage. */
  operation: string;
  replica: number;
  status: number;
  ms: number;
  /** Milliseconds since the load started, when the request was sent. */
  sentAt: number;
  /** A transport error's code when there was no answer; a 4xx/5xx's message. */
  error?: string;
}

export interface FaultWindow {
  name: string;
  from: number;
  /** Until the faulted part answered again, plus a short grace. */
  to: number;
  /** The replica it concerned, or every replica. */
  replica?: number;
}

export class Traffic {
  readonly samples: Sample[] = [];
  readonly faults: FaultWindow[] = [];
  readonly started = Date.now();

  now(): number {
    return Date.now() - this.started;
  }

  /** The fault a request sent at `sentAt` to `replica` may have met. */
  faultAt(
    sentAt: number,
    replica: number,
    ms: number,
  ): FaultWindow | undefined {
    // A request overlapping the window (sent before it, answered during it)
    // is as much in flight as one sent during it.
    return this.faults.find(
      f =>
        sentAt <= f.to &&
        sentAt + ms >= f.from &&
        (f.replica === undefined || f.replica === replica),
    );
  }

  /** 5xx answers and lost connections that no fault explains. */
  unexplainedFailures(): Sample[] {
    return this.samples.filter(
      s =>
        (s.status === 0 || s.status >= 500) &&
        !this.faultAt(s.sentAt, s.replica, s.ms),
    );
  }

  /**
   * 4xx answers other than the conflicts the load provokes on purpose (stale
   * versions, contested transitions, repeated starts), outside a fault: the
   * load's requests are well-formed and authorized, so any such is a defect.
   */
  unexpectedRefusals(): Sample[] {
    return this.samples.filter(
      s =>
        s.status >= 400 &&
        s.status < 500 &&
        s.status !== 409 &&
        !this.faultAt(s.sentAt, s.replica, s.ms),
    );
  }

  /** Each distinct failure (operation, status, message), most frequent first. */
  failureDetails(): string[] {
    const counts = new Map<string, { total: number; inFault: number }>();
    for (const s of this.samples) {
      if (s.status >= 200 && s.status < 400) continue;
      const key = `${s.operation} ${s.status || 'no answer'}: ${s.error ?? ''}`;
      const entry = counts.get(key) ?? { total: 0, inFault: 0 };
      entry.total += 1;
      if (this.faultAt(s.sentAt, s.replica, s.ms)) entry.inFault += 1;
      counts.set(key, entry);
    }
    return [...counts.entries()]
      .sort((a, b) => b[1].total - a[1].total)
      .map(([key, v]) => `${v.total} (${v.inFault} in a fault) ${key}`);
  }

  /** The printed table: per route class, then errors by status. */
  report(durationMs: number): string {
    const classes = [...new Set(this.samples.map(s => s.routeClass))].sort();
    const rows = classes.map(routeClass => {
      const of = this.samples.filter(s => s.routeClass === routeClass);
      const answered = of.filter(s => s.status > 0).map(s => s.ms);
      answered.sort((a, b) => a - b);
      const count = (test: (s: Sample) => boolean) => of.filter(test).length;
      return [
        routeClass,
        String(of.length),
        (of.length / (durationMs / 1000)).toFixed(1),
        answered.length ? percentile(answered, 50).toFixed(0) : '-',
        answered.length ? percentile(answered, 99).toFixed(0) : '-',
        String(count(s => s.status >= 200 && s.status < 300)),
        String(count(s => s.status >= 400 && s.status < 500)),
        String(count(s => s.status >= 500)),
        String(count(s => s.status === 0)),
      ];
    });
    const all = this.samples.length;
    rows.push([
      'all',
      String(all),
      (all / (durationMs / 1000)).toFixed(1),
      '',
      '',
      String(
        this.samples.filter(s => s.status >= 200 && s.status < 300).length,
      ),
      String(
        this.samples.filter(s => s.status >= 400 && s.status < 500).length,
      ),
      String(this.samples.filter(s => s.status >= 500).length),
      String(this.samples.filter(s => s.status === 0).length),
    ]);
    const table = formatTable(
      [
        'route class',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        '2xx',
        '4xx',
        '5xx',
        'no answer',
      ],
      rows,
    );

    const byStatus = new Map<string, { total: number; inFault: number }>();
    for (const s of this.samples) {
      if (s.status >= 200 && s.status < 300) continue;
      const key =
        s.status === 0 ? `no answer (${s.error ?? 'error'})` : String(s.status);
      const entry = byStatus.get(key) ?? { total: 0, inFault: 0 };
      entry.total += 1;
      if (this.faultAt(s.sentAt, s.replica, s.ms)) entry.inFault += 1;
      byStatus.set(key, entry);
    }
    const errors = formatTable(
      ['status', 'responses', 'during a fault'],
      [...byStatus.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, v]) => [key, String(v.total), String(v.inFault)]),
    );
    const faults = formatTable(
      ['fault', 'from s', 'to s'],
      this.faults.map(f => [
        f.name,
        (f.from / 1000).toFixed(1),
        (f.to / 1000).toFixed(1),
      ]),
    );
    return `${table}\n\nResponses other than 2xx\n${errors}\n\nFaults\n${faults}`;
  }
}

/** A plain-text table with aligned columns. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  return [
    line(header),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}
