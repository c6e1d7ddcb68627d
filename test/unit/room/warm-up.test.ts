import { describe, expect, it } from "vitest";
import { warmUp } from "../../../worker/room/warm-up";

// A new room runs its message path on a throwaway room before its first
// patients write, so their messages do not wait while the engine compiles it.

describe("warming up a new room", () => {
  it("passes a hundred signed messages each way through a room of its own, none refused", () => {
    const frames: { type: string; code?: string }[] = [];
    let signed = 0;

    warmUp(
      (data) => {
        signed++;
        return `sig-${data.length}`;
      },
      { send: (frame) => void frames.push(JSON.parse(frame)), close: () => expect.fail("no page is closed") },
    );

    expect(frames.filter((f) => f.type === "error")).toEqual([]);
    // Each message reaches the patient's page and the staff page.
    expect(frames.filter((f) => f.type === "msg").length).toBeGreaterThanOrEqual(2 * 200);
    expect(signed).toBeGreaterThanOrEqual(200);
  });
});
