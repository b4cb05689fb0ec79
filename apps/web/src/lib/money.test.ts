import { describe, expect, it } from "vitest";
import { formatMoney } from "../pages/projects/model";
import { MONEY, toCents, withoutGrouping } from "./money";

describe("withoutGrouping", () => {
  it("accepts an amount the way the app prints it", () => {
    const printed = formatMoney("1234567.50").replace(/ USD$/, "");
    expect(printed).toBe("1,234,567.50");
    expect(withoutGrouping(printed)).toBe("1234567.50");
    expect(withoutGrouping(" 5,000.00 ")).toBe("5000.00");
    expect(withoutGrouping("5,000")).toBe("5000");
  });

  it("undoes spaces as group separators, including the narrow no-break space", () => {
    expect(withoutGrouping("1 250")).toBe("1250");
    expect(withoutGrouping("12\u202f500.5")).toBe("12500.5");
  });

  it("leaves anything that is not proper grouping as typed, for validation to refuse", () => {
    for (const typed of ["12,50", "1,2,3", "5,000 000", "1,0000", ",500", "5,000,00"]) {
      expect(withoutGrouping(typed)).toBe(typed);
      expect(MONEY.test(withoutGrouping(typed))).toBe(false);
    }
  });

  it("keeps plain amounts in the API's format", () => {
    expect(withoutGrouping("1200")).toBe("1200");
    expect(withoutGrouping("1200.5")).toBe("1200.5");
    expect(MONEY.test(withoutGrouping("9,999,999,999.99"))).toBe(true);
    expect(toCents(withoutGrouping("1,000.5"))).toBe(100050);
  });
});
