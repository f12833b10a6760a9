/**
 * The agents a note names with `@`: `@Full Name` or, when no other active agent shares it, `@FirstName`
 * (case-insensitive). The `@` must not follow a letter or digit (an e-mail address names nobody) and the
 * name must end the word. The note's author is never notified of their own mention.
 */
export function findMentionedAgents(body: string, agents: Array<{ id: string; name: string }>, authorId: string): string[] {
  const firstNames = new Map<string, number>();
  for (const a of agents) {
    const first = firstWord(a.name);
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const found = new Set<string>();
  for (const a of agents) {
    if (a.id === authorId) continue;
    const names = [a.name.trim()];
    const first = firstWord(a.name);
    if (firstNames.get(first) === 1 && first !== names[0]!.toLowerCase()) names.push(first);
    if (names.some((n) => n && mentionPattern(n).test(body))) found.add(a.id);
  }
  return [...found];
}

function firstWord(name: string): string {
  return name.trim().split(/\s+/)[0]!.toLowerCase();
}

function mentionPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_.])@${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
}
