/**
 * State that outlives one execution: it lives as long as the n8n process and is shared by every
 * execution in it (not across queue-mode workers, which are processes of their own). Every such store
 * is created here, by name, so that one list says what the package keeps between executions and why
 * (docs/ARCHITECTURE.md). Nothing here may change what an execution sends or reports, only when it
 * sends (pacing) or how it finds what an earlier try of the same execution did.
 */
const stores = new Map<string, unknown>();

export function processWide<T>(name: string, create: () => T): T {
	if (!stores.has(name)) stores.set(name, create());
	return stores.get(name) as T;
}
