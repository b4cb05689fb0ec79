import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "./local.js";
import { AppError } from "../errors.js";
import { attachmentOwnerRegistry, defineAttachmentOwner } from "./owners.js";
import { attachmentDisposition, servedContentType } from "./send.js";
import { detectFileType, peekStream } from "./sniff.js";
import { newStorageKey, StorageLimitError, StorageNotFoundError, type ObjectStorage } from "./storage.js";
import { cleanFileName, storeUpload, type StoreOptions, type Upload } from "./upload.js";

let root: string;
let storage: ObjectStorage;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cairn-storage-"));
  storage = createLocalStorage(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const bytes = (...values: number[]) => Buffer.from(values);
const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe("local private storage", () => {
  it("stores, opens and deletes under random keys", async () => {
    const key = newStorageKey("projects");
    expect(key).toMatch(/^projects\/\d{4}\/\d{2}\/[0-9a-f]{32}$/);
    expect(await storage.put(key, Readable.from([Buffer.from("hello "), Buffer.from("world")]), { maxBytes: 100 })).toEqual({ size: 11 });
    const opened = await storage.open(key);
    expect(opened.size).toBe(11);
    expect((await text(opened.stream)).toString()).toBe("hello world");
    expect(storage.internalPath(key)).toBe(key);
    await storage.delete(key);
    await storage.delete(key);
    await expect(storage.open(key)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it("stops a body over the limit and leaves nothing behind", async () => {
    const key = newStorageKey("projects");
    await expect(storage.put(key, Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { maxBytes: 100 })).rejects.toBeInstanceOf(StorageLimitError);
    const files = await readdir(root, { recursive: true, withFileTypes: true });
    expect(files.filter((entry) => entry.isFile()).map((entry) => entry.name)).not.toContainEqual(expect.stringContaining(key.split("/").pop() ?? "?"));
  });

  it("refuses keys it did not make (no path from a client ever reaches the disk)", async () => {
    for (const key of ["../etc/passwd", "projects/2026/01/../../x", "/abs/path", "projects/2026/01/NOTHEX"]) {
      await expect(storage.open(key)).rejects.toThrow(/Not a storage key/);
      expect(() => storage.internalPath(key)).toThrow(/Not a storage key/);
    }
  });
});

describe("file types come from the content", () => {
  it.each([
    [bytes(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31), "x.exe", "application/pdf"],
    [bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), "x.txt", "image/png"],
    [bytes(0xff, 0xd8, 0xff, 0xe0), "x", "image/jpeg"],
    [Buffer.from("GIF89a"), "x", "image/gif"],
    [Buffer.concat([Buffer.from("RIFF"), bytes(0, 0, 0, 0), Buffer.from("WEBP")]), "x", "image/webp"],
    [bytes(0x50, 0x4b, 0x03, 0x04), "report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    [bytes(0x50, 0x4b, 0x03, 0x04), "archive.bin", "application/zip"],
    [Buffer.from("a,b\n1,2\n"), "data.csv", "text/csv"],
    [Buffer.from("héllo wörld"), "notes", "text/plain"],
  ])("%# → %s", (head, name, type) => {
    expect(detectFileType(head, name)?.contentType).toBe(type);
  });

  it("refuses binaries that are none of these, whatever their name says", () => {
    expect(detectFileType(Buffer.concat([Buffer.from("MZ"), Buffer.alloc(10)]), "invoice.pdf")).toBeNull();
    expect(detectFileType(bytes(0x7f, 0x45, 0x4c, 0x46, 0x02), "photo.png")).toBeNull();
    expect(detectFileType(Buffer.alloc(0), "empty.txt")).toBeNull();
  });

  it("peeks at the head of a stream without losing a byte", async () => {
    const source = Readable.from([Buffer.from("abc"), Buffer.from("defgh"), Buffer.from("ij")]);
    const { head, stream } = await peekStream(source, 5);
    expect(head.toString()).toBe("abcde");
    expect((await text(stream)).toString()).toBe("abcdefghij");
  });
});

describe("Content-Disposition", () => {
  it("is an attachment with an ASCII fallback and the exact UTF-8 name", () => {
    expect(attachmentDisposition('plan "final".pdf')).toBe(`attachment; filename="plan _final_.pdf"; filename*=UTF-8''plan%20%22final%22.pdf`);
    expect(attachmentDisposition("żółw.png")).toBe(`attachment; filename="___w.png"; filename*=UTF-8''%C5%BC%C3%B3%C5%82w.png`);
  });
});

/** An upload as `receiveFile` hands it over, from chunks; `truncated` and a second file are the parser's to say. */
function fakeUpload(
  filename: string,
  chunks: Buffer[],
  parser: { truncated?: boolean; secondFile?: boolean } = {},
): Upload & { finished: () => boolean } {
  let finished = false;
  return {
    filename,
    stream: Readable.from(chunks),
    truncated: () => parser.truncated ?? false,
    fields: {},
    async finish() {
      finished = true;
      if (parser.secondFile)
        throw new AppError(400, "invalid", "Invalid input", "The request carries more than one file.");
    },
    finished: () => finished,
  };
}

async function storedNames(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; detail: string }> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, detail: error.message };
}

describe("the one upload pipeline (storeUpload)", () => {
  const options = (overrides: Partial<StoreOptions> = {}): StoreOptions => ({
    storage,
    area: "tests",
    maxBytes: 64,
    accept: "documents",
    ...overrides,
  });
  const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(20, 1)]);

  it("streams a file to a new random key, typed by its content, its name cleaned and kept as metadata", async () => {
    const upload = fakeUpload("../../reports/\u0007Q1 plan.txt", [
      Buffer.from("line one\n"),
      Buffer.from("line two\n"),
    ]);
    const stored = await storeUpload(upload, options());
    expect(stored).toMatchObject({ size: 18, contentType: "text/plain", originalName: "Q1 plan.txt" });
    expect(stored.key).toMatch(/^tests\/\d{4}\/\d{2}\/[0-9a-f]{32}$/);
    expect(upload.finished()).toBe(true);
    expect((await text((await storage.open(stored.key)).stream)).toString()).toBe("line one\nline two\n");
    await storage.delete(stored.key);
  });

  it("judges the type by what the owner accepts", async () => {
    const binary = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(30)]);
    const unknown = await refusal(storeUpload(fakeUpload("a.pdf", [binary]), options()));
    expect(unknown.status).toBe(415);
    expect(unknown.detail).toMatch(/^This file type is not accepted/);
    expect(
      await refusal(
        storeUpload(fakeUpload("a.png", [Buffer.from("%PDF-1.7\n")]), options({ accept: "images" })),
      ),
    ).toEqual({
      status: 415,
      detail: "The file is not a PNG, JPEG or WebP image.",
    });
    const image = await storeUpload(fakeUpload("a.txt", [png]), options({ accept: "images" }));
    expect(image.contentType).toBe("image/png");
    const any = await storeUpload(fakeUpload("a.bin", [binary]), options({ accept: "any" }));
    expect(any.contentType).toBe("application/octet-stream");
    await Promise.all([storage.delete(image.key), storage.delete(any.key)]);
  });

  it("refuses an empty file, one over the limit, one the parser cut, and a second file, leaving nothing stored", async () => {
    const before = await storedNames();
    const empty = fakeUpload("a.txt", []);
    expect(await refusal(storeUpload(empty, options({ what: "image" })))).toEqual({
      status: 400,
      detail: "The image is empty (0 bytes).",
    });
    expect(empty.finished()).toBe(true);
    expect(
      await refusal(
        storeUpload(
          fakeUpload("a.txt", [Buffer.alloc(40, 0x61), Buffer.alloc(40, 0x61)]),
          options({ noun: "avatar" }),
        ),
      ),
    ).toEqual({
      status: 413,
      detail: "An avatar is at most 1 KB.",
    });
    expect(
      (
        await refusal(
          storeUpload(fakeUpload("a.txt", [Buffer.alloc(64, 0x61)], { truncated: true }), options()),
        )
      ).status,
    ).toBe(413);
    expect(
      (
        await refusal(
          storeUpload(fakeUpload("a.txt", [Buffer.from("one\n")], { secondFile: true }), options()),
        )
      ).status,
    ).toBe(400);
    expect(await storedNames()).toEqual(before);
  });

  it("keeps names as metadata only", () => {
    expect(cleanFileName("C:\\Users\\me\\plan.pdf")).toBe("plan.pdf");
    expect(cleanFileName("  \u0000 ")).toBe("file");
  });
});

describe("serving and owners", () => {
  it("serves known types as they are and anything else as application/octet-stream", () => {
    expect(servedContentType("application/pdf")).toBe("application/pdf");
    expect(servedContentType("text/plain")).toBe("text/plain");
    for (const type of ["text/html", "image/svg+xml", "application/javascript", "application/xhtml+xml", ""])
      expect(servedContentType(type)).toBe("application/octet-stream");
  });

  it("refuses an owner type declared twice, or two owners on one path", () => {
    const owner = (type: string, path?: string) =>
      defineAttachmentOwner({
        type,
        path,
        upload: { maxBytes: 1, accept: "any" },
        canRead: async () => null,
        canAdd: () => ({ allowed: true }),
        canDelete: () => ({ allowed: true }),
      });
    expect(() => attachmentOwnerRegistry([owner("task"), owner("task")])).toThrow(/declared twice/);
    expect(() => attachmentOwnerRegistry([owner("task", "tasks"), owner("ticket", "tasks")])).toThrow(
      /declared twice/,
    );
    expect(() => attachmentOwnerRegistry([owner("Task!")])).toThrow(/lower-case/);
    expect([...attachmentOwnerRegistry([owner("task", "tasks"), owner("ticket", "tickets")]).keys()]).toEqual(
      ["task", "ticket"],
    );
  });
});
