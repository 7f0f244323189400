import { BodyMemoryBudget, defaultBodyBudgetBytes } from './body-memory-budget';

describe('BodyMemoryBudget', () => {
  it('admits bodies while they fit and refuses the one that does not, until bytes are given back', () => {
    const budget = new BodyMemoryBudget(10);
    expect(budget.tryReserve(6)).toBe(true);
    expect(budget.tryReserve(4)).toBe(true);
    expect(budget.tryReserve(1)).toBe(false);
    budget.release(6);
    expect(budget.heldBytes).toBe(4);
    expect(budget.tryReserve(6)).toBe(true);
  });

  it('always admits a request when none is held, even one larger than the budget', () => {
    const budget = new BodyMemoryBudget(10);
    expect(budget.tryReserve(50)).toBe(true);
    expect(budget.tryReserve(1)).toBe(false);
    budget.release(50);
    expect(budget.tryReserve(50)).toBe(true);
  });

  it('defaults to an eighth of the heap limit, never below the largest body', () => {
    expect(defaultBodyBudgetBytes(10 * 2 ** 20, 4096 * 2 ** 20)).toBe(512 * 2 ** 20);
    expect(defaultBodyBudgetBytes(10 * 2 ** 20, 64 * 2 ** 20)).toBe(10 * 2 ** 20);
  });
});
