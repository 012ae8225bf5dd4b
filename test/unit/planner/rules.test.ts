import { plan, RULES } from "../../../provider/planner";

describe("the rule catalog", () => {
  test("ids are unique and every rule has a title, a fix and both examples", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(10);
    }
  });

  describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    test("refuses its failing example, naming the rule, a path and a fix", () => {
      const findings = plan(rule.example.fail).findings;
      const mine = findings.filter((f) => f.rule === id);
      expect(mine.length).toBeGreaterThan(0);
      for (const f of mine) {
        expect(f.severity).toBe(rule.severity);
        expect(f.path).toMatch(/^hosts\.\d+/);
        expect(f.message.length).toBeGreaterThan(10);
        expect(f.fix.length).toBeGreaterThan(10);
      }
      // The example isolates its rule: nothing else fires but what it declares.
      const others = new Set([id, ...(rule.example.alsoBreaks ?? [])]);
      expect(findings.filter((f) => !others.has(f.rule))).toEqual([]);
    });

    test("accepts its corrected example with no finding at all", () => {
      expect(plan(rule.example.pass).findings).toEqual([]);
    });
  });
});
