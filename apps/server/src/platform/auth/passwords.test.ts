import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, hashPassword, isCommonPassword, verifyPassword } from "./passwords.js";

describe("passwords", () => {
  it("hashes with argon2id and verifies", async () => {
    const hash = await hashPassword("Lantern-Harbor-Quiet-42");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "Lantern-Harbor-Quiet-42")).toBe(true);
    expect(await verifyPassword(hash, "lantern-harbor-quiet-42")).toBe(false);
    expect(await verifyPassword(null, "anything")).toBe(false);
  });

  it("knows the 10,000 most common passwords", () => {
    expect(isCommonPassword("123456")).toBe(true);
    expect(isCommonPassword("Dragon")).toBe(true);
    expect(isCommonPassword("Lantern-Harbor-Quiet-42")).toBe(false);
  });

  it("applies length, commonness, digits and similarity rules", () => {
    const attributes = { username: "margaret", email: "maggie@example.com" };
    expect(checkPasswordPolicy("Lantern-Harbor-Quiet-42", attributes)).toEqual([]);
    expect(checkPasswordPolicy("short1!", attributes).map((e) => e.message)).toContain("At least 8 characters.");
    expect(checkPasswordPolicy("x".repeat(257), attributes).map((e) => e.message)).toContain("At most 256 characters.");
    expect(checkPasswordPolicy("Margaret1", attributes).map((e) => e.message)).toContain("This password is too similar to your username or email.");
    expect(checkPasswordPolicy("maggie@example", attributes).map((e) => e.message)).toContain("This password is too similar to your username or email.");
    expect(checkPasswordPolicy("9384756102", attributes).map((e) => e.message)).toContain("This password is entirely numeric.");
  });
});
