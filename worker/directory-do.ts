import { DurableObject } from "cloudflare:workers";
import type { CodeEntry } from "./room/access-codes";
import { LEASE_MS } from "./room/access-codes";
import { Directory, type Redeemed } from "./directory/directory";
import { roomStub } from "./routes/auth";

/** The one directory's name: the join page sends a code, not a room, so every room's codes are found in one place. */
export const DIRECTORY_NAME = "access-codes";

/**
 * Access codes for every room, in memory only: it never touches storage.
 * Rooms renew their live codes every LEASE_MS, which keeps this object in
 * memory while any code is live and gives it the codes back if it was
 * evicted or restarted anyway. Its timer, while it holds codes, keeps it
 * from hibernating between renewals and forgets codes that expired.
 */
export class DirectoryDO extends DurableObject<Env> {
  private readonly directory = new Directory({
    now: () => Date.now(),
    rooms: { admitGuest: (room, c, code, name) => roomStub(this.env, room).admitGuest(c, code, name) },
  });
  private timer?: ReturnType<typeof setTimeout>;

  issue(room: string, c: string, until: number): string | null {
    const code = this.directory.issue(room, c, until);
    this.keep();
    return code;
  }

  renew(room: string, codes: CodeEntry[]): string[] {
    const refused = this.directory.renew(room, codes);
    this.keep();
    return refused;
  }

  withdraw(room: string, codes: string[]): void {
    this.directory.withdraw(room, codes);
  }

  /** The join page's code, from a client address. */
  redeem(code: string, name: string, address: string): Promise<Redeemed> {
    return this.directory.redeem(code, name, address);
  }

  private keep(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.directory.prune() > 0) this.keep();
    }, LEASE_MS);
  }
}

export const directoryStub = (env: Env) => env.DIRECTORY.get(env.DIRECTORY.idFromName(DIRECTORY_NAME));
