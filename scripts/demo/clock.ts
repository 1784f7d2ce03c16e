/**
 * The demo's clock: the process clock moved forward by a chosen offset, so a day can pass in a moment
 * (a grace period ends, a scheduled re-check falls due). It replaces the global `Date` while installed,
 * because the bundled functions read the time with `new Date()` and `Date.now()` like any Lambda code.
 */
export class SimulatedClock {
  private offsetMs = 0;
  private readonly real: DateConstructor = Date;

  /** Replace the global Date with one that reads this clock. Returns the function that restores it. */
  install(): () => void {
    const real = this.real;
    const clock = this;
    function ShiftedDate(this: unknown, ...args: unknown[]): unknown {
      if (new.target === undefined) return new real(real.now() + clock.offsetMs).toString();
      if (args.length === 0) return new real(real.now() + clock.offsetMs);
      return Reflect.construct(real, args, new.target as typeof real);
    }
    Object.setPrototypeOf(ShiftedDate, real);
    ShiftedDate.prototype = real.prototype;
    Object.defineProperty(ShiftedDate, 'now', { value: () => real.now() + clock.offsetMs });
    globalThis.Date = ShiftedDate as unknown as DateConstructor;
    return () => {
      globalThis.Date = real;
    };
  }

  /** Move the clock forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** The clock's time. */
  now(): Date {
    return new this.real(this.real.now() + this.offsetMs);
  }
}
