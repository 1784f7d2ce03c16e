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
    const now = () => real.now() + this.offsetMs;
    function ShiftedDate(this: unknown, ...args: unknown[]): unknown {
      // Called without `new`, Date returns the current time as a string.
      const target = new.target as unknown as (new (...a: unknown[]) => Date) | undefined;
      if (target === undefined) return new real(now()).toString();
      if (args.length === 0) return new real(now());
      return Reflect.construct(real, args, target);
    }
    Object.setPrototypeOf(ShiftedDate, real);
    ShiftedDate.prototype = real.prototype;
    Object.defineProperty(ShiftedDate, 'now', { value: now });
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
