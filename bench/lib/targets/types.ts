import type { Tracker } from "../tracker.ts";

export type TargetName = "ours" | "bare DO" | "ws" | "socket.io";

/** One socket of the load generator, as a provider or a patient. */
export interface Conn {
  /** The patient's id in the room ("" for the provider). */
  readonly id: string;
  /** Patient → provider. */
  sendToProvider(cid: string, text: string): void;
  /** Provider → one patient. */
  sendToPatient(to: string, cid: string, text: string): void;
  /** Provider → everyone waiting. */
  broadcast(cid: string, text: string): void;
  close(): void;
}

/** A running server and how the load generator talks to it. */
export interface Target {
  readonly name: TargetName;
  /** The process whose RSS is the server's memory. */
  readonly pid: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** False when it serves no page of its own (the bare Durable Object sits behind our Worker and its pages). */
  readonly pages: boolean;
  /** How many copies of one broadcast the provider's socket receives. */
  broadcastEchoes(patients: number): number;
  provider(room: string): Promise<Conn>;
  patient(room: string, name: string): Promise<Conn>;
  stop(): Promise<void>;
}

export type StartTarget = (tracker: Tracker) => Promise<Target>;
