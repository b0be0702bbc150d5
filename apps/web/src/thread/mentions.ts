/**
 * @mentions in internal notes: which agents a note mentions, and the note's text split so the
 * mentions can be highlighted. A mention is `@` + the agent's name, ended by whitespace,
 * punctuation or the end of the text (names may contain spaces or be prefixes of others:
 * the longest name that fits wins).
 */

export type Mentionable = { userId: string; name: string };

const boundary = /[\s,，.。!！?？:：;；、)）\]】]/;

function endsAt(text: string, index: number): boolean {
  return index >= text.length || boundary.test(text.charAt(index));
}

type Hit = { start: number; end: number; userId: string };

function findMentions(text: string, agents: readonly Mentionable[]): Hit[] {
  const byLength = agents.filter((agent) => agent.name.length > 0).sort((a, b) => b.name.length - a.name.length);
  const hits: Hit[] = [];
  let at = text.indexOf("@");
  while (at >= 0) {
    const agent = byLength.find(
      (candidate) => text.startsWith(candidate.name, at + 1) && endsAt(text, at + 1 + candidate.name.length),
    );
    if (agent) {
      const end = at + 1 + agent.name.length;
      hits.push({ start: at, end, userId: agent.userId });
      at = text.indexOf("@", end);
    } else {
      at = text.indexOf("@", at + 1);
    }
  }
  return hits;
}

/** The user ids a note mentions, each once, in order of appearance. */
export function collectMentions(text: string, agents: readonly Mentionable[]): string[] {
  return [...new Set(findMentions(text, agents).map((hit) => hit.userId))];
}

export type NoteSegment = { text: string; mention: string | null };

/** The note's body as text runs and mentions (`mention` is the user id), for rendering. */
export function splitMentions(text: string, agents: readonly Mentionable[]): NoteSegment[] {
  const segments: NoteSegment[] = [];
  let from = 0;
  for (const hit of findMentions(text, agents)) {
    if (hit.start > from) segments.push({ text: text.slice(from, hit.start), mention: null });
    segments.push({ text: text.slice(hit.start, hit.end), mention: hit.userId });
    from = hit.end;
  }
  if (from < text.length || segments.length === 0) segments.push({ text: text.slice(from), mention: null });
  return segments;
}
