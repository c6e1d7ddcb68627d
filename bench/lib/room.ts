import { Pacer } from "./tracker.ts";
import type { Conn, Target } from "./targets/types.ts";

/** A socket of the load generator with its own copy of the rate limit. */
export interface Member {
  conn: Conn;
  pacer: Pacer;
}

/**
 * One room on a target, as the load generator sees it: at most one provider
 * and a growing list of patients, connected with bounded concurrency.
 */
export class LoadRoom {
  readonly name: string;
  readonly patients: Member[] = [];
  provider?: Member;
  private readonly target: Target;
  private readonly concurrency: number;

  constructor(target: Target, name: string, concurrency: number) {
    this.target = target;
    this.name = name;
    this.concurrency = concurrency;
  }

  async addProvider(): Promise<Member> {
    this.provider = { conn: await this.target.provider(this.name), pacer: new Pacer() };
    return this.provider;
  }

  /** Connects patients until there are `count`; resolves with the time it took in ms. */
  async growTo(count: number, onProgress?: (connected: number) => void): Promise<number> {
    const start = performance.now();
    let next = this.patients.length;
    let failure: Error | undefined;
    const worker = async () => {
      while (next < count && !failure) {
        const index = next++;
        try {
          const conn = await this.target.patient(this.name, `Patient ${index}`);
          this.patients.push({ conn, pacer: new Pacer() });
        } catch (err) {
          failure ??= new Error(`patient ${index} could not connect: ${(err as Error).message}`);
        }
        if (this.patients.length % 1000 === 0) onProgress?.(this.patients.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, count - next) }, worker));
    if (failure) throw failure;
    return performance.now() - start;
  }

  /** The provider leaves first, so patients' departures notify no one. */
  close(): void {
    this.provider?.conn.close();
    for (const p of this.patients) p.conn.close();
    this.patients.length = 0;
    this.provider = undefined;
  }
}
