// Looking for a secret in everything a run left behind: process output, database and queue dumps,
// and the files n8n wrote into its user folders (event logs, settings), installed code excluded.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every file n8n wrote under the folder, as { name, text }, skipping installed packages. */
export function filesUnder(folder) {
	const found = [];
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...filesUnder(full));
		else if (entry.isFile()) found.push({ name: full, text: readFileSync(full).toString('latin1') });
	}
	return found;
}

/** Names of the sources whose text contains the secret (as it is, or base64-encoded). */
export function sourcesContaining(secret, sources) {
	const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
	return sources.filter(({ text }) => forms.some((form) => text.includes(form))).map(({ name }) => name);
}
