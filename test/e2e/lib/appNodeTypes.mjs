// The examples as an older n8n can run them: a node whose type or version the app's n8n-nodes-base
// does not have (the Data table node, new in n8n 1.113, at version 1.1 only from 2.x) is taken out
// with its connections, and said so. n8n-nodes-base lists every node it ships, with its versions, in
// dist/types/nodes.json (what the editor is served). The docs tell users of such an n8n what to use
// instead (docs/crm-recipe.md); the rest of the example still runs there, with its expectations.

import { readFileSync } from 'node:fs';
import path from 'node:path';

const BASE = 'n8n-nodes-base.';

/** `type@version` of every n8n-nodes-base node the app under `appDir` ships. */
function nodeVersionsOf(appDir) {
	const file = path.join(appDir, 'node_modules', 'n8n-nodes-base', 'dist', 'types', 'nodes.json');
	const known = new Set();
	for (const { name, version } of JSON.parse(readFileSync(file, 'utf8'))) {
		for (const each of [version].flat()) known.add(`${name.startsWith(BASE) ? name : BASE + name}@${each}`);
	}
	return known;
}

/** The workflow without `names`: their nodes, the connections from them and the connections to them. */
function without(workflow, names) {
	const connections = Object.fromEntries(
		Object.entries(workflow.connections)
			.filter(([source]) => !names.has(source))
			.map(([source, byType]) => [
				source,
				Object.fromEntries(Object.entries(byType).map(([type, outputs]) => [type, outputs.map((targets) => (targets ?? []).filter(({ node }) => !names.has(node)))])),
			]),
	);
	return { ...workflow, nodes: workflow.nodes.filter(({ name }) => !names.has(name)), connections };
}

/** Each example without the n8n-nodes-base nodes the app lacks; what was taken out is logged. */
export function examplesTheAppRuns(examples, app, log) {
	const known = nodeVersionsOf(app.dir);
	return examples.map((example) => {
		const missing = example.workflow.nodes.filter(({ type, typeVersion }) => type.startsWith(BASE) && !known.has(`${type}@${typeVersion}`));
		if (missing.length === 0) return example;
		log(`${example.file} on n8n ${app.version}: without ${missing.map(({ name, type, typeVersion }) => `"${name}" (${type} ${typeVersion}, not in this n8n)`).join(', ')}`);
		return { ...example, workflow: without(example.workflow, new Set(missing.map(({ name }) => name))) };
	});
}
