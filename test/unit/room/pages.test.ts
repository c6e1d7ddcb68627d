import { describe, expect, it } from "vitest";
import { Pages } from "../../../worker/room/pages";
import type { Socket } from "../../../worker/room/socket";

// One person's pages: kept in the order they said hello, each once, however many there are.

const page = (name: string) => ({ page: name }) as unknown as Socket;
const names = (pages: Pages) => [...pages].map((p) => p.page);

describe("a person's pages", () => {
  it("are listed in the order they said hello, each once", () => {
    const pages = new Pages();
    const [a, b, c] = [page("a"), page("b"), page("c")];
    expect(pages.size).toBe(0);
    expect(names(pages)).toEqual([]);
    pages.add(a);
    pages.add(a);
    expect(pages.size).toBe(1);
    expect(names(pages)).toEqual(["a"]);
    pages.add(b);
    pages.add(c);
    pages.add(b);
    expect(pages.size).toBe(3);
    expect(names(pages)).toEqual(["a", "b", "c"]);
    expect(pages.has(b)).toBe(true);
  });

  it("forget a page that closed, down to none, and take new ones after", () => {
    const pages = new Pages();
    const [a, b, c] = [page("a"), page("b"), page("c")];
    pages.add(a);
    pages.add(b);
    pages.add(c);
    expect(pages.delete(a)).toBe(true);
    expect(pages.delete(a)).toBe(false);
    expect(names(pages)).toEqual(["b", "c"]);
    expect(pages.delete(c)).toBe(true);
    expect(names(pages)).toEqual(["b"]);
    expect(pages.has(c)).toBe(false);
    pages.add(a);
    expect(names(pages)).toEqual(["b", "a"]);
    expect(pages.delete(b) && pages.delete(a)).toBe(true);
    expect(pages.size).toBe(0);
    expect(pages.delete(a)).toBe(false);
    pages.add(c);
    expect(names(pages)).toEqual(["c"]);
  });
});
