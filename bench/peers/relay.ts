/**
 * The bare relay both floors run (bench/peers/ws-relay.ts on `ws` in Node,
 * bench/peers/bare-room.ts in a Durable Object): the shape of a queue-chat
 * room (one provider, many patients; patient → provider, provider → one
 * patient by id, broadcast to everyone waiting) with JSON frames of the same
 * size, and nothing else: no sessions, validation, signatures, rate limits
 * or heartbeats. Plain code, so that it runs in both runtimes.
 */

export interface RelaySocket {
  send(data: string): void;
}

export type RelayRole = "provider" | "patient";

export class RelayRoom<S extends RelaySocket> {
  private readonly providers = new Set<S>();
  private readonly patients = new Map<string, S>();
  private seq = 0;
  private readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /**
   * A socket joined as `role`; returns what to do with each of its frames.
   * A patient's id is 22 characters, like queue-chat's, so frames are the same size.
   */
  join(ws: S, role: RelayRole, name: string, id = role === "patient" ? randomId() : "provider"): { receive(data: string): void; left(): void } {
    let ready = false;
    const receive = (data: string) => {
      const m = JSON.parse(data) as { type: string; cid?: string; text?: string; to?: string };
      if (!ready) {
        if (m.type !== "hello") return;
        ready = true;
        if (role === "provider") this.providers.add(ws);
        else this.patients.set(id, ws);
        ws.send(JSON.stringify({ type: "welcome", v: 1, room: this.name, role, self: { id, name }, now: Date.now(), providerOnline: this.providers.size > 0 }));
        return;
      }
      const msg = (patient: string) => ({ type: "msg", patient, seq: ++this.seq, cid: m.cid, from: role, name, text: m.text, time: Date.now() });
      if (m.type === "send") {
        const patientId = role === "patient" ? id : (m.to ?? "");
        const to = this.patients.get(patientId);
        if (!to) return;
        const frame = JSON.stringify(msg(patientId));
        // The people it is for first, then the writer's own echo, as queue-chat's room sends.
        if (role === "patient") {
          for (const p of this.providers) p.send(frame);
          to.send(frame);
        } else {
          to.send(frame);
          for (const p of this.providers) if (p !== ws) p.send(frame);
          ws.send(frame);
        }
      } else if (m.type === "broadcast" && role === "provider") {
        const frame = JSON.stringify({ ...msg("*"), broadcast: true });
        for (const p of this.patients.values()) p.send(frame);
        for (const p of this.providers) p.send(frame);
      }
    };
    const left = () => {
      this.providers.delete(ws);
      if (this.patients.get(id) === ws) this.patients.delete(id);
    };
    return { receive, left };
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
