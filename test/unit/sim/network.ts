/**
 * A simulated network between browser pages and the real `Room`, on a
 * FakeClock and a seeded PRNG, so a run is the same every time for a seed.
 *
 * A socket (Wire) carries frames both ways in order. The network delivers
 * them a few at a time, in random interleavings across sockets, and can
 * drop a socket at any moment: whatever is in flight either way is lost.
 */
import { HEARTBEAT } from "../../../protocol/wire";
import { Room, type Identity, type Peer } from "../../../worker/room/room";
import type { Socket } from "../../../worker/room/socket";
import { FakeClock, sign } from "../../support/fakes";

/** Seeded PRNG (mulberry32): the same seed, the same run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Frame = string | { close: number };

/** The page end of a socket, as client/lib/connection.ts sees it. */
export interface Endpoint {
  readonly identity: Identity;
  frame(wire: Wire, data: string): void;
  closed(wire: Wire, code: number): void;
}

/** One WebSocket. The room holds it as a Peer; the page as its socket. */
export class Wire implements Peer {
  readonly toRoom: Frame[] = [];
  readonly toPage: Frame[] = [];
  /** False once the network path is gone: frames either way vanish. */
  alive = true;
  /** The room has closed it or has been told it closed. */
  roomDone = false;
  /** The page has let go of it. */
  pageDone = false;
  lastToRoom = -Infinity;
  socket!: Socket;
  readonly page: Endpoint;
  readonly id: number;

  constructor(page: Endpoint, id: number) {
    this.page = page;
    this.id = id;
  }

  // ---- Peer: the room's side ----
  send(data: string): void {
    if (this.roomDone) throw new Error("WebSocket is closed");
    if (this.alive) this.toPage.push(data);
  }

  close(code: number): void {
    if (this.roomDone) return;
    this.roomDone = true;
    if (this.alive) this.toPage.push({ close: code });
  }

  // ---- the page's side ----
  /** A frame from the page; false when the page already let go of the socket. */
  fromPage(data: string): boolean {
    if (this.pageDone) return false;
    if (this.alive) this.toRoom.push(data);
    return true;
  }

  /** The page closes its socket; the close reaches the room after what was sent before it. */
  letGo(): void {
    if (this.pageDone) return;
    this.pageDone = true;
    if (this.alive) this.toRoom.push({ close: 1000 });
  }

  get idle(): boolean {
    return this.toRoom.length === 0 && this.toPage.length === 0;
  }
}

export interface NetworkStats {
  drops: number;
  silentDrops: number;
  resets: number;
  framesLost: number;
  framesDelivered: number;
}

/**
 * The network and the room behind it. `reset` replaces the room with a new
 * instance (a deploy): every socket into the old one dies.
 */
export class Network {
  readonly clock = new FakeClock();
  readonly rand: () => number;
  room: Room;
  readonly wires = new Set<Wire>();
  readonly stats: NetworkStats = { drops: 0, silentDrops: 0, resets: 0, framesLost: 0, framesDelivered: 0 };
  /** What went wrong that a test must fail on (a final close, an exception). */
  readonly failures: string[] = [];
  /** Set to follow a run frame by frame (debugging a failing seed). */
  trace?: (line: string) => void;
  private epochs = 0;
  private wireIds = 0;

  constructor(seed: number) {
    this.rand = prng(seed);
    this.room = this.newRoom();
  }

  /** Most frames a socket delivers to the room per second: the room's own limit (10/s). */
  static readonly framesPerSecond = 10;

  private newRoom(): Room {
    return new Room({
      name: "clinic",
      graceMs: 60_000,
      capacity: 50,
      clock: this.clock,
      sign,
      epoch: `epoch-${++this.epochs}`,
      deadAfterMs: HEARTBEAT.deadAfterMs,
      // seqBase: from the clock, as in production.
    });
  }

  /** A page opens a socket into the current room. */
  open(page: Endpoint): Wire {
    const wire = new Wire(page, ++this.wireIds);
    this.trace?.(`${this.clock.now()} open w${wire.id} ${page.identity.name} -> ${this.room.epoch}`);
    wire.socket = this.room.connect(wire, page.identity);
    this.wires.add(wire);
    return wire;
  }

  /** Delivers a few frames on every socket, in random order. */
  deliver(): void {
    for (const wire of this.shuffled()) {
      for (let n = Math.floor(this.rand() * 4); n > 0 && wire.toPage.length > 0; n--) {
        const frame = wire.toPage.shift()!;
        this.stats.framesDelivered++;
        this.trace?.(`${this.clock.now()} w${wire.id} ${wire.page.identity.name} <- ${typeof frame === "string" ? frame : JSON.stringify(frame)}`);
        if (typeof frame === "string") wire.page.frame(wire, frame);
        else wire.page.closed(wire, frame.close);
      }
      // Paced to the room's rate limit, like a page that never sends too fast.
      if (wire.toRoom.length > 0 && this.clock.now() - wire.lastToRoom >= 1000 / Network.framesPerSecond) {
        const frame = wire.toRoom.shift()!;
        wire.lastToRoom = this.clock.now();
        this.stats.framesDelivered++;
        this.trace?.(`${this.clock.now()} w${wire.id} ${wire.page.identity.name} -> ${wire.roomDone ? "(room closed) " : ""}${typeof frame === "string" ? frame : JSON.stringify(frame)}`);
        if (wire.roomDone) continue;
        if (typeof frame === "string") wire.socket.receive(frame);
        else {
          wire.roomDone = true;
          wire.socket.closed();
        }
      }
    }
    for (const wire of this.wires) if ((!wire.alive || (wire.roomDone && wire.pageDone)) && wire.idle) this.wires.delete(wire);
  }

  /**
   * The network drops a socket: frames in flight are lost. A loud drop is
   * noticed by the page at once and by the room at once or never (half
   * open: its heartbeat sweep finds it); a silent one by neither, until
   * heartbeats notice.
   */
  drop(wire: Wire, silent: boolean): void {
    if (!wire.alive) return;
    wire.alive = false;
    this.trace?.(`${this.clock.now()} drop w${wire.id} ${wire.page.identity.name} ${silent ? "silent" : "loud"} losing ${wire.toRoom.length} up, ${wire.toPage.length} down`);
    this.stats.framesLost += wire.toRoom.length + wire.toPage.length;
    wire.toRoom.length = 0;
    wire.toPage.length = 0;
    this.stats.drops++;
    if (silent) {
      this.stats.silentDrops++;
      return;
    }
    if (!wire.roomDone && this.rand() < 0.5) {
      wire.roomDone = true;
      wire.socket.closed();
    }
    if (!wire.pageDone) wire.page.closed(wire, 1006);
  }

  /** A random open socket, if any. */
  pick(): Wire | undefined {
    const live = [...this.wires].filter((w) => w.alive);
    return live.length > 0 ? live[Math.floor(this.rand() * live.length)] : undefined;
  }

  /** The room's memory is lost: a new instance, a new epoch. Every page's socket closes. */
  reset(): void {
    this.stats.resets++;
    this.room.dispose();
    this.room = this.newRoom();
    this.trace?.(`${this.clock.now()} RESET -> ${this.room.epoch}`);
    for (const wire of [...this.wires]) {
      this.stats.framesLost += wire.toRoom.length + wire.toPage.length;
      wire.alive = false;
      wire.roomDone = true;
      wire.toRoom.length = 0;
      wire.toPage.length = 0;
      if (!wire.pageDone) wire.page.closed(wire, 1006);
      this.wires.delete(wire);
    }
  }

  get quiet(): boolean {
    return [...this.wires].every((w) => w.idle);
  }

  private shuffled(): Wire[] {
    const list = [...this.wires];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }
}
