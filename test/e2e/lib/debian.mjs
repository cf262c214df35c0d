// Debian packages a suite needs on the machine (CI starts on one without them): installed with
// apt-get when the program they provide is missing, once per suite run.

import { execFileSync } from 'node:child_process';
import { run } from './processes.mjs';

const APT_TIMEOUT_MS = 10 * 60_000;

/** The absolute path of a program on PATH, or undefined. */
export function which(program) {
	try {
		return execFileSync('which', [program], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/**
 * Installs the Debian packages unless `present()` says what they provide is already there; then
 * `present()` must hold.
 */
export async function ensureDebianPackages(packages, present, log) {
	if (present()) return log(`${packages.join(', ')}: present`);
	log(`installing ${packages.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
		const { code, output } = await run('apt-get', args, { env, label: `apt-get ${args[0]}`, timeoutMs: APT_TIMEOUT_MS });
		if (code !== 0) throw new Error(`apt-get ${args.join(' ')} exited ${code}\n${output.slice(-3000)}`);
	}
	if (!present()) throw new Error(`apt-get installed ${packages.join(', ')} but what they provide is still missing`);
}
