import { memberLabel, RotationPlanResult } from './rotation-plan';

/** One line per decision taken while building a rotation plan, for logs, traces and explanations. */
export function describeRotationPlan(result: RotationPlanResult): string[] {
  const lines: string[] = [];
  for (const pick of result.picks) {
    const options = pick.options.map((option) => `${option.member} (${option.weight})`).join(', ');
    lines.push(
      pick.strategy === 'priority'
        ? `user-rotation/${pick.rotation} (priority): ${pick.chosen}, the highest weight among ${options}`
        : pick.sequence === null
          ? `user-rotation/${pick.rotation}: ${pick.chosen}, the only member that can serve now`
          : `user-rotation/${pick.rotation} (weighted): request #${pick.sequence} falls at ${pick.point!.toFixed(4)} of the weights of ${options} -> ${pick.chosen}`,
    );
  }
  const ordered = [...result.verdicts].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  const seen = new Set<string>();
  for (const verdict of ordered) {
    const label = memberLabel(verdict.leaf);
    const line = `${verdict.position !== null ? `${verdict.position}. ` : ''}${label}: ${verdict.reason}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  if (result.failure) lines.push(result.failure.message);
  return lines;
}
