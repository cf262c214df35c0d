import { createHash } from 'node:crypto';

/**
 * A hash naming a piece of irreversible work or its target: tokens are part of what is hashed, so
 * they never sit in memory as keys (duplicates in one execution, earlier tries of a node).
 */
export function hashOf(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
