/**
 * Random and malformed client frames for fuzz.test.ts, from a seeded PRNG so
 * a failing run can be replayed.
 *
 * The canary goes only where the room must refuse the frame or drop the
 * field (an unknown key, a wrong type, a conversation or person id the
 * sender is not in, over-long or over-size text, junk). It never goes into
 * a `text` or `cid`, which a valid message would rightly carry to staff.
 *
 * Every frame made here gets exactly one answer from the room (or closes
 * the socket), which fuzz.test.ts counts: so no `presence`, `typing` or
 * `pong`, the frames a room takes from a patient in silence.
 */
import { LIMITS, PROTOCOL_VERSION } from "../../protocol/wire";

/** mulberry32: small, fast, and the same sequence for the same seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export interface FuzzFrame {
  data: string | ArrayBuffer;
  /** It may close the socket (a leave, a hello of another version, too large), so it is the last on its socket. */
  mayClose: boolean;
  hasCanary: boolean;
}

type Fields = Record<string, unknown>;

const TYPES = [
  "hello",
  "send",
  "broadcast",
  "view",
  "close",
  "leave",
  "start_session",
  "end_session",
  "downloaded",
  "direct",
  "create_group",
  "leave_group",
  "delete_group",
  "prefs",
  "seed",
  "ping",
  "delete",
  "new_code",
  "withdraw_code",
  "remove",
  "leave_session",
] as const;
const TYPE_LOOKALIKES = ["SEND", "Send", " send", "send ", "send\u0000", "sendd", "", "msg", "error", "welcome", "queue", "broadcast ", "erase", "__proto__", "constructor", "toString", ...TYPES];
const EXTRA_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "by", "name", "role", "time", "seq", "n", "sig", "all", "q", "session", "to", "patient"];
const ODD_PIECES = ['"', "\\", "{", "}", "[", "]", ":", ",", "\u0000", "\u0007", "\n", "\r", "\u2028", "\ud800", "\udfff", "é", "€", "😀", "\u202e", "\t", "null", "1e999", "__proto__", "\\u0000", '\\"'];
const encoder = new TextEncoder();

/** Makes fuzz frames for patients; `ids` are person and conversation ids worth aiming at (the other patient, staff, itself, …). */
export class FrameMaker {
  private readonly rng: Rng;
  private readonly canary: string;
  private readonly base: readonly string[];
  private ids: readonly string[];
  private readonly literals: readonly string[];
  private readonly pollution: readonly string[];

  constructor(rng: Rng, canary: string, ids: readonly string[]) {
    this.rng = rng;
    this.canary = canary;
    this.base = [...ids, "__proto__", "constructor", canary];
    this.ids = this.base;
    const c = JSON.stringify(canary);
    this.literals = [
      "", " ", "null", "true", "false", "0", "-0", "1e999", "-1", "[]", "{}", '""', "[null]", c, `[${c}]`, "\u0000", '\ufeff{"type":"ping"}',
      '{"type":null}', '{"type":1}', '{"type":[]}', '{"type":{}}', ' {"type":"ping"} ', '{"type":"ping"}{"type":"ping"}',
      '{"type":"ping","type":"broadcast"}', '{"type":"broadcast","type":"ping"}', '{"type":"close","c":"x","upto":1e999}',
      '{"type":"close","c":"x","upto":-1}', '{"type":"close","c":"x","upto":1.5}', '{"type":"hello","v":1e999}',
      '{"type":"seed","c":"x","messages":[]}', '{"c":"x","type":"seed","messages":[]}', '{"type":"seed","type":"send","c":"x","cid":"y","text":"hi"}',
    ];
    this.pollution = [
      `{"__proto__":{"type":"broadcast","polluted":${c}},"cid":"c1","text":"hi"}`,
      `{"type":"send","c":"x","cid":"c1","text":"hi","__proto__":{"role":"host","polluted":${c}}}`,
      `{"type":"ping","constructor":{"prototype":{"polluted":${c}}}}`,
      `{"type":"hello","v":${PROTOCOL_VERSION},"resume":{"pass":"p","epoch":"e","n":1,"__proto__":{"polluted":${c}}}}`,
      `{"type":"hello","v":${PROTOCOL_VERSION},"page":"__proto__"}`,
      '{"type":"close","c":"__proto__","upto":1}',
      '{"type":"start_session","c":"constructor"}',
      '{"type":"send","c":"__proto__","cid":"c2","text":"hi"}',
      '{"type":"send","c":"toString","cid":"constructor","text":"hello"}',
      '{"type":"direct","with":"__proto__"}',
      '{"type":"create_group","cid":"g1","title":"__proto__","members":["__proto__","constructor"]}',
      '{"type":"prefs","c":"__proto__","muted":true}',
      '{"type":"__proto__"}',
      '{"type":"constructor","c":"x"}',
      '[{"type":"ping"}]',
    ];
  }

  /** Adds the ids of the patient now sending (each socket is a patient of its own). */
  aimAlsoAt(ids: readonly string[]): void {
    this.ids = [...this.base, ...ids];
  }

  next(beforeHello: boolean): FuzzFrame {
    const data = this.pickKind();
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    const bytes = typeof data === "string" ? byteLength(data) : data.byteLength;
    const mayClose = bytes > LIMITS.frameBytes || (typeof data === "string" && (data.includes("leave") || (beforeHello && data.includes("hello"))));
    return { data, mayClose, hasCanary: text.includes(this.canary) };
  }

  private pickKind(): string | ArrayBuffer {
    const roll = this.rng.int(1000);
    if (roll < 100) return JSON.stringify(this.template());
    if (roll < 450) return this.mutated();
    if (roll < 570) return this.junkFrame();
    if (roll < 670) return this.truncated();
    if (roll < 720) return this.rng.pick(this.literals);
    if (roll < 750) return this.nested();
    if (roll < 820) return this.rng.pick(this.pollution);
    if (roll < 900) return this.binary();
    if (roll < 915) return this.oversize();
    if (roll < 930) return this.atTheLimit();
    if (roll < 940) return '{"type":"leave"}';
    if (roll < 950) return withExtras('{"type":"leave"}', [[this.rng.pick(EXTRA_KEYS), this.value(true)]]);
    return JSON.stringify({ type: "ping" });
  }

  /** A valid frame of a random type; text and cid never carry the canary. */
  private template(): Fields {
    const type = this.rng.pick(TYPES);
    switch (type) {
      case "hello":
        return {
          type,
          v: PROTOCOL_VERSION,
          ...(this.rng.chance(0.3) ? { page: this.cid() } : {}),
          ...(this.rng.chance(0.5) ? { resume: { pass: this.junk(40), epoch: this.junk(20), n: this.rng.int(100) } } : {}),
        };
      case "send":
        return { type, c: this.id(), cid: this.cid(), text: this.chatText() };
      case "broadcast":
        return { type, cid: this.cid(), text: this.chatText() };
      case "view":
        return { type, c: this.rng.chance(0.2) ? null : this.id() };
      case "close":
        return { type, c: this.id(), upto: this.rng.int(100) };
      case "leave":
      case "ping":
        return { type };
      case "direct":
        return { type, with: this.id() };
      case "create_group":
        return { type, cid: this.cid(), title: `Group ${this.rng.int(100)}`, members: [this.id()] };
      case "prefs":
        return { type, c: this.id(), muted: this.rng.chance(0.5), archived: this.rng.chance(0.5) };
      case "delete":
        return { type, c: this.id(), seq: this.rng.int(1e6) };
      case "remove":
        return { type, c: this.id(), id: this.id() };
      case "seed": {
        const by = this.id();
        const messages = [{ type: "msg", seq: this.rng.int(1e6), cid: this.cid(), by, name: "Ana Lima", role: "patient", text: this.chatText(), time: this.rng.int(1e12), sig: this.junk(20) }];
        return { type, c: this.id(), messages };
      }
      default:
        return { type, c: this.id() };
    }
  }

  private mutated(): string {
    const fields = this.template();
    const extras: [string, unknown][] = [];
    for (let i = 1 + this.rng.int(3); i > 0; i--) {
      const key = this.rng.pick([...Object.keys(fields), "type"]);
      switch (this.rng.int(5)) {
        case 0:
          fields[key] = this.value(key !== "text" && key !== "cid");
          break;
        case 1:
          delete fields[key];
          break;
        case 2:
          extras.push([this.rng.chance(0.3) ? this.canary : this.rng.pick(EXTRA_KEYS), this.value(true)]);
          break;
        case 3:
          // Over the text limit, so it can never be delivered.
          if ("text" in fields) fields.text = this.canary + "x".repeat(LIMITS.textChars + this.rng.int(2000));
          break;
        default:
          fields.type = this.rng.chance(0.5) ? this.rng.pick(TYPE_LOOKALIKES) : this.value(true);
      }
    }
    return withExtras(JSON.stringify(fields), extras);
  }

  private junkFrame(): string {
    const junk = this.junk(this.rng.int(300));
    if (!this.rng.chance(0.5)) return junk;
    const at = this.rng.int(junk.length + 1);
    return junk.slice(0, at) + this.canary + junk.slice(at);
  }

  private truncated(): string {
    const json = withExtras(JSON.stringify(this.template()), this.rng.chance(0.5) ? [[this.rng.pick(EXTRA_KEYS), this.canary]] : []);
    return json.slice(0, 1 + this.rng.int(json.length - 1));
  }

  private nested(): string {
    const depth = 1 + this.rng.int(5000);
    const c = JSON.stringify(this.canary);
    return this.rng.pick([
      () => "[".repeat(depth) + "]".repeat(depth),
      () => '{"a":'.repeat(depth) + c + "}".repeat(depth),
      () => `{"type":"send","c":"x","cid":"n1","text":${"[".repeat(depth)}${c}${"]".repeat(depth)}}`,
      () => `{"type":"hello","v":${PROTOCOL_VERSION},"resume":{"pass":"p","epoch":"e","n":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}}`,
    ])();
  }

  private binary(): ArrayBuffer {
    return this.rng.pick([
      () => new ArrayBuffer(0),
      () => Uint8Array.from({ length: this.rng.int(300) }, () => this.rng.int(256)).buffer,
      () => encoder.encode(JSON.stringify({ type: "ping" })).buffer as ArrayBuffer,
      () => encoder.encode(withExtras(JSON.stringify(this.template()), [[this.canary, true]])).buffer as ArrayBuffer,
    ])();
  }

  /** Over the frame limit: the socket is closed with 1009 before anything parses it. */
  private oversize(): string | ArrayBuffer {
    const over = LIMITS.frameBytes + 1 + this.rng.int(20_000);
    return this.rng.pick([
      () => JSON.stringify({ type: "send", c: "x", cid: "big", text: this.canary + "z".repeat(over) }),
      () => "€".repeat(Math.ceil(over / 3)),
      () => {
        const bytes = new Uint8Array(over);
        bytes.set(encoder.encode(this.canary));
        return bytes.buffer;
      },
    ])();
  }

  /** Exactly the frame limit in bytes: parsed (and refused as bad_text), not closed. */
  private atTheLimit(): string {
    const head = `{"type":"send","c":"x","cid":"edge","text":"${this.canary}`;
    return head + "z".repeat(LIMITS.frameBytes - head.length - 2) + '"}';
  }

  private value(canaryAllowed: boolean): unknown {
    const values: (() => unknown)[] = [
      () => this.rng.int(1000),
      () => -1 - this.rng.int(10),
      () => 1.5,
      () => 1e308,
      () => -1e308,
      () => 2 ** 53 + 1,
      () => 0,
      () => true,
      () => null,
      () => "",
      () => this.junk(1 + this.rng.int(80)),
      () => "z".repeat(LIMITS.idChars + 1),
      () => [],
      () => [this.junk(5)],
      () => ({}),
      () => ({ a: { b: { c: [1, { d: this.junk(3) }] } } }),
    ];
    if (canaryAllowed) values.push(() => this.canary, () => [this.canary], () => ({ [this.canary]: this.canary }));
    return this.rng.pick(values)();
  }

  private id(): string {
    return this.rng.chance(0.8) ? this.rng.pick(this.ids) : this.junk(1 + this.rng.int(70));
  }

  private cid(): string {
    return this.rng.pick([() => `c${this.rng.int(1e6)}`, () => this.junk(1 + this.rng.int(70)), () => "__proto__", () => "constructor"])();
  }

  private chatText(): string {
    return this.rng.pick([
      () => `hello ${this.rng.int(1e6)}`,
      () => this.junk(1 + this.rng.int(50)),
      () => "x".repeat(LIMITS.textChars),
      () => "   ",
      () => "\u2028\u2029",
    ])();
  }

  private junk(length: number): string {
    let s = "";
    while (s.length < length) s += this.rng.chance(0.7) ? String.fromCharCode(32 + this.rng.int(95)) : this.rng.pick(ODD_PIECES);
    return s;
  }
}

/** Adds keys to a JSON object's text, so that `__proto__` becomes a real key, as JSON.parse makes it. */
function withExtras(json: string, extras: [string, unknown][]): string {
  if (extras.length === 0) return json;
  const pairs = extras.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}`).join(",");
  return `${json.slice(0, -1)}${json.length > 2 ? "," : ""}${pairs}}`;
}

function byteLength(s: string): number {
  return s.length * 3 <= LIMITS.frameBytes ? s.length : encoder.encode(s).length;
}
