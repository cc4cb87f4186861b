import type { ChatMember } from '@/features/chat/types';

export type TextPart = { text: string; mention?: string };

/**
 * Splits message text into plain runs and `@display_name` mentions of the given user ids
 * (only names of users the message really mentions are highlighted).
 */
export function splitMentions(text: string, mentionIds: string[], names: Map<string, string>): TextPart[] {
  const tokens = mentionIds
    .map((id) => ({ id, token: `@${names.get(id) ?? id}` }))
    .filter((t) => t.token.length > 1)
    .sort((a, b) => b.token.length - a.token.length);
  if (!tokens.length) return [{ text }];
  const parts: TextPart[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    if (text[i] === '@') {
      for (const { id, token } of tokens) {
        if (text.startsWith(token, i)) {
          if (plain) parts.push({ text: plain });
          plain = '';
          parts.push({ text: token, mention: id });
          i += token.length;
          continue outer;
        }
      }
    }
    plain += text[i];
    i += 1;
  }
  if (plain) parts.push({ text: plain });
  return parts;
}

/** The `@query` being typed just before the caret, or null. */
export function activeMentionQuery(text: string, caret: number): { query: string; start: number } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(before);
  if (!match) return null;
  return { query: match[2] ?? '', start: before.length - (match[2]?.length ?? 0) - 1 };
}

export function filterMembers(members: ChatMember[], query: string, selfId: string, limit = 8): ChatMember[] {
  const q = query.trim().toLowerCase();
  return members
    .filter((m) => m.user_id !== selfId)
    .filter((m) => !q || m.display_name.toLowerCase().includes(q) || m.user_id.toLowerCase().startsWith(q))
    .slice(0, limit);
}

/** The mentioned user ids whose `@name` is still in the text when it is sent. */
export function mentionsInText(text: string, picked: Map<string, string>): string[] {
  return [...picked.entries()].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
