/** Lists in an error's or a note's text stop after this many entries; the data beside them keeps all. */
export const LISTED_IN_TEXT = 20;

/** "a, b, c … and 97 more": a list short enough for a message, however long the list. */
export function shortList(entries: readonly string[], listed = LISTED_IN_TEXT): string {
	if (entries.length <= listed) return entries.join(', ');
	return `${entries.slice(0, listed).join(', ')} … and ${entries.length - listed} more`;
}

/**
 * Text a server chose (a Plaid error_message, a gateway's page) reaches the error n8n stores with
 * every execution, its logs and Continue On Fail items: one answer that lists 100,000 IDs would
 * make each of them megabytes. Plaid's own messages are a sentence or two.
 */
export const MAX_SERVER_TEXT = 1000;

/** `text` cut after `max` characters, saying how many were left out. */
export function capText(text: string, max: number = MAX_SERVER_TEXT): string {
	if (text.length <= max) return text;
	// Not between the two halves of a character outside the Basic Multilingual Plane.
	const code = text.charCodeAt(max - 1);
	const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
	return `${text.slice(0, end)}… and ${text.length - end} more characters`;
}
