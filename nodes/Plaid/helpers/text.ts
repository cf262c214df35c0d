/** Lists in an error's or a note's text stop after this many entries; the data beside them keeps all. */
export const LISTED_IN_TEXT = 20;

/** "a, b, c … and 97 more": a list short enough for a message, however long the list. */
export function shortList(entries: readonly string[], listed = LISTED_IN_TEXT): string {
	if (entries.length <= listed) return entries.join(', ');
	return `${entries.slice(0, listed).join(', ')} … and ${entries.length - listed} more`;
}
