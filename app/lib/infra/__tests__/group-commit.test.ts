import { describe, expect, it } from "vitest";

import {
  DeadlineExceededError,
  GroupCommitQueue,
  QueueClosedError,
  QueueFullError,
} from "~/lib/infra/group-commit.server";

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe("GroupCommitQueue", () => {
  it("writes items that arrive together in one batch and resolves each with its own result", async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>({
      write: async (items) => {
        batches.push(items);
        return items.map((item) => item * 10);
      },
    });
    const results = await Promise.all([1, 2, 3, 4].map((item) => queue.push(item)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("groups what arrives during a write into the next batch", async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>({
      maxConcurrentWrites: 1,
      write: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items;
      },
    });
    const first = queue.push(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((item) => queue.push(item));
    gate.release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("refuses items beyond maxPending at once instead of growing", async () => {
    const gate = deferred();
    const queue = new GroupCommitQueue<number, number>({
      maxPending: 3,
      write: async (items) => {
        await gate.promise;
        return items;
      },
    });
    const accepted = [1, 2, 3].map((item) => queue.push(item));
    await expect(queue.push(4)).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.getStats().pending).toBe(3);
    gate.release();
    await expect(Promise.all(accepted)).resolves.toEqual([1, 2, 3]);
    await expect(queue.push(5)).resolves.toBe(5);
  });

  it("rejects every item of a failed write, and keeps working afterwards", async () => {
    let fail = true;
    const queue = new GroupCommitQueue<number, number>({
      write: async (items) => {
        if (fail) throw new Error("database down");
        return items;
      },
    });
    const outcomes = await Promise.allSettled([queue.push(1), queue.push(2)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(queue.push(3)).resolves.toBe(3);
  });

  it("drops items whose deadline passed before their write started, unwritten", async () => {
    const gate = deferred();
    const written: number[] = [];
    const queue = new GroupCommitQueue<number, number>({
      maxConcurrentWrites: 1,
      write: async (items) => {
        written.push(...items);
        await gate.promise;
        return items;
      },
    });
    const first = queue.push(1);
    await new Promise((resolve) => setImmediate(resolve));
    const late = queue.push(2, Date.now() + 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    gate.release();
    await expect(first).resolves.toBe(1);
    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(written).toEqual([1]);
  });

  it("writes what is queued on close and refuses new items", async () => {
    const written: number[] = [];
    const queue = new GroupCommitQueue<number, number>({
      write: async (items) => {
        written.push(...items);
        return items;
      },
    });
    const pending = [queue.push(1), queue.push(2)];
    await queue.close();
    await expect(Promise.all(pending)).resolves.toEqual([1, 2]);
    expect(written).toEqual([1, 2]);
    await expect(queue.push(3)).rejects.toBeInstanceOf(QueueClosedError);
  });
});
