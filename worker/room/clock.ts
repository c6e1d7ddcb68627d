export interface Clock {
  now(): number;
  /** Returns a function that cancels the timer. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/**
 * Numbers for messages. `seq` orders a conversation and survives resets:
 * it is at least the current time in microseconds, so a restarted room
 * numbers above anything an earlier instance issued, and a message sent to
 * everyone waiting has one number in every conversation. `n` counts
 * arrivals in this instance only: a page resumes from the last it saw.
 */
export class Sequencer {
  /** Everything this instance numbers is above this. */
  readonly base: number;
  private lastSeq: number;
  private arrivals = 0;
  private readonly clock: Clock;
  private readonly timeBased: boolean;

  /** With `base`, numbers simply count up from it (tests read them more easily). */
  constructor(clock: Clock, base?: number) {
    this.clock = clock;
    this.timeBased = base === undefined;
    this.base = base ?? clock.now() * 1000;
    this.lastSeq = this.base;
  }

  nextSeq(): number {
    this.lastSeq = this.timeBased ? Math.max(this.lastSeq + 1, this.clock.now() * 1000) : this.lastSeq + 1;
    return this.lastSeq;
  }

  get seq(): number {
    return this.lastSeq;
  }

  nextArrival(): number {
    return ++this.arrivals;
  }

  get arrival(): number {
    return this.arrivals;
  }
}
