// The packed package installed into an n8n user folder the way n8n's Community Nodes installer lays
// it out: the `npm pack` tarball unpacked into $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>, which
// every n8n command (start, webhook, worker) scans for packages when it starts.

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './processes.mjs';

export const PACKAGE_NAME = 'n8n-nodes-plaid';

/** Unpacks the tarball into the user folder; returns the package's folder and its `n8n` block. */
export async function unpackCommunityPackage(tarball, userFolder) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });
	const untar = await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { label: 'tar', timeoutMs: 60_000 });
	if (untar.code !== 0) throw new Error(`unpacking ${path.basename(tarball)} failed\n${untar.output}`);
	const { n8n } = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8'));
	return { target, n8n };
}
