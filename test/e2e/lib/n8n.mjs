// The n8n app's command line, run under Node 24 with a fresh user folder per suite run: the
// environment it needs headless, credential and workflow import, publishing, and `execute`, whose
// stdout is n8n's log lines followed by the run's JSON.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, start, tail } from './processes.mjs';

const CLI_TIMEOUT_MS = 120_000;

/**
 * The environment of every n8n process of one suite run: its own user folder (where the packed
 * package is installed), sqlite, no calls home, everything on 127.0.0.1.
 */
export function n8nEnvironment({ paths, userFolder, port, brokerPort }) {
	return {
		PATH: `${path.join(paths.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
		HOME: process.env.HOME,
		LANG: process.env.LANG ?? 'C.UTF-8',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		DB_TYPE: 'sqlite',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// The editor is served over plain http on loopback; a Secure cookie would never be sent back.
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		// Stopped by the suite at the end: no need to wait long for work that is already done.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
}

export function n8nCli({ paths, env, workDir }) {
	// The compatibility runs name the Node their app runs on; the suite's own app runs on Node 24.
	const node = paths.node ?? paths.node24;
	const cli = (args, { timeoutMs = CLI_TIMEOUT_MS } = {}) =>
		run(node, [paths.n8nBin, ...args], { env, cwd: workDir, label: `n8n ${args[0]}`, timeoutMs });

	/** Runs a command that must succeed; returns its output. */
	async function must(args, options) {
		const result = await cli(args, options);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${tail(result.output)}`);
		return result;
	}

	/** Writes JSON to a file in workDir and imports it; n8n must report exactly that many imported. */
	async function importJson(command, fileName, value, noun) {
		const file = path.join(workDir, fileName);
		writeFileSync(file, JSON.stringify(value, null, '\t'));
		const result = await must([command, `--input=${file}`]);
		const count = Array.isArray(value) ? value.length : 1;
		const reported = new RegExp(`^Successfully imported ${count} ${noun}${count === 1 ? '' : 's'}\\.$`, 'm');
		if (!reported.test(result.stdout) || /^Skipped /m.test(result.stdout)) {
			throw new Error(`n8n ${command} did not import ${count} ${noun}(s)\n${tail(result.output)}`);
		}
		return result;
	}

	return {
		importCredentials: (credentials) => importJson('import:credentials', 'credentials.json', credentials, 'credential'),
		importWorkflow: (workflow) => importJson('import:workflow', `workflow-${workflow.id}.json`, workflow, 'workflow'),
		/** Several workflows in one command: each command boots the app, which takes seconds. */
		importWorkflows: (workflows) => importJson('import:workflow', 'workflows.json', workflows, 'workflow'),
		publishWorkflow: (id) => must(['publish:workflow', `--id=${id}`]),
		/** Any other command that must succeed, e.g. n8n 1.x's `update:workflow --active=true`. */
		command: (args) => must(args),
		/** `n8n execute --id … --rawOutput`: the exit code, and the run's JSON parsed from after the log lines. */
		async execute(id) {
			const result = await cli(['execute', `--id=${id}`, '--rawOutput']);
			const run = parseRunJson(result.stdout);
			if (result.code === 0 && run === undefined) throw new Error(`n8n execute --id=${id} exited 0 and printed no run JSON\n${tail(result.stdout)}`);
			return { code: result.code, signal: result.signal, error: result.error, run, output: result.output };
		},
		/** `n8n start` in its own process group; stop it with processes.stop(). */
		startServer: () => start(node, [paths.n8nBin, 'start'], { env, cwd: workDir, label: 'n8n start' }),
	};
}

/**
 * n8n prints log lines, then the run as pretty JSON in one write: it starts at a line that is exactly
 * "{" and ends at a line that is exactly "}". Log lines of its task runner may still come after it,
 * so the JSON ends at the last such "}" that makes it parse. Returns undefined when there is none.
 */
export function parseRunJson(stdout) {
	const lines = stdout.trimEnd().split('\n');
	for (let start = lines.length - 1; start >= 0; start -= 1) {
		if (lines[start] !== '{') continue;
		for (let end = lines.length - 1; end > start; end -= 1) {
			if (lines[end] !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// Not this closing brace: a nested object's, or log text around it.
			}
		}
	}
	return undefined;
}
