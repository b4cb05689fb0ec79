import { describe, expect, it } from "vitest";
import type { Board } from "../../api/tasks";
import { afterIdAt, moveCard, placeCard, positionAfter, removeCard } from "./cache";
import { formatMinutes, parseDuration, type Task, type TaskStatus } from "./model";

function card(
  id: string,
  status: TaskStatus,
  position: number,
  allowedActions: Task["allowedActions"] = [],
): Task {
  return { id, key: id.toUpperCase(), status, position, allowedActions } as Task;
}

function board(...cards: Task[]): Board {
  const columns = { todo: [], in_progress: [], done: [] } as Board["columns"];
  for (const item of cards) columns[item.status].push(item);
  return {
    columns,
    totals: { todo: columns.todo.length, in_progress: columns.in_progress.length, done: columns.done.length },
  };
}

const ids = (cards: Task[]) => cards.map((item) => item.id);

describe("the board as cards move", () => {
  const start = board(
    card("a", "todo", 1),
    card("b", "todo", 2),
    card("c", "todo", 3),
    card("d", "in_progress", 1),
  );

  it("drops a card at the top of another column, before the first card", () => {
    const next = moveCard(start, "b", "in_progress", null);
    expect(ids(next.columns.todo)).toEqual(["a", "c"]);
    expect(ids(next.columns.in_progress)).toEqual(["b", "d"]);
    expect(next.totals).toEqual({ todo: 2, in_progress: 2, done: 0 });
  });

  it("drops a card after another, between it and the next", () => {
    const next = moveCard(start, "a", "todo", "b");
    expect(ids(next.columns.todo)).toEqual(["b", "a", "c"]);
    expect(positionAfter(start.columns.todo, "b", "a")).toBe(2.5);
    expect(ids(moveCard(start, "a", "todo", "c").columns.todo)).toEqual(["b", "c", "a"]);
  });

  it("names the card a place follows, the moving card set aside", () => {
    expect(afterIdAt(start.columns.todo, 0, "b")).toBeNull();
    expect(afterIdAt(start.columns.todo, 1, "b")).toBe("a");
    expect(afterIdAt(start.columns.todo, 2, "b")).toBe("c");
    expect(afterIdAt(start.columns.in_progress, 1, "a")).toBe("d");
    expect(afterIdAt([], 0, "a")).toBeNull();
  });

  it("keeps what the reader may do with a card when someone else's change arrives", () => {
    const mine = board(card("a", "todo", 1, ["changeStatus"]));
    const pushed = card("a", "done", 5, ["update", "delete"]);
    const next = placeCard(mine, pushed);
    expect(ids(next.columns.done)).toEqual(["a"]);
    expect(next.columns.done[0]?.allowedActions).toEqual(["changeStatus"]);
    expect(next.columns.todo).toEqual([]);
  });

  it("adds a card it did not have, and takes a deleted one off", () => {
    const next = placeCard(start, card("e", "done", 1, ["update"]));
    expect(ids(next.columns.done)).toEqual(["e"]);
    expect(next.totals.done).toBe(1);
    expect(removeCard(next, "e").totals.done).toBe(0);
  });
});

describe("durations", () => {
  it("reads minutes and hours as people write them", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("1.5h")).toBe(90);
    expect(parseDuration("45m")).toBe(45);
    expect(parseDuration(" ")).toBeNull();
    expect(parseDuration("soon")).toBeNaN();
    expect(formatMinutes(150)).toBe("2h 30m");
    expect(formatMinutes(120)).toBe("2h");
    expect(formatMinutes(null)).toBe("—");
  });
});
