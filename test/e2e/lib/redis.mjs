// Redis for the queue-mode suite, as n8n's job queue (Bull) and pub/sub: Debian's redis-server in
// the foreground under the suite, on 127.0.0.1 only, with a password, never saving on its own. A dump
// is taken on request (SAVE, uncompressed, so a string in any value can be found in the file).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDebianPackages, which } from './debian.mjs';
import { freePort, start, stop, tail, waitFor } from './processes.mjs';

/** ioredis from the n8n app's install (the client n8n itself uses). */
function redisClient(e2eDir, port, password) {
	const Redis = createRequire(path.join(e2eDir, 'node_modules', 'n8n', 'package.json'))('ioredis');
	return new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
}

/** Starts redis-server with its working folder (where dumps go) in `dir`. */
export async function startRedis({ e2eDir, dir, log }) {
	await ensureDebianPackages(['redis-server'], () => which('redis-server') !== undefined, log);
	const port = await freePort();
	const password = randomBytes(18).toString('hex');
	// The password on the command line is visible in `ps` to local users: acceptable for a throwaway
	// server on loopback in a test run.
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--requirepass', password];
	args.push('--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb', '--rdbcompression', 'no');
	const server = start(which('redis-server'), args, { env: { PATH: process.env.PATH }, cwd: dir, label: 'redis-server' });

	async function withClient(action) {
		const client = redisClient(e2eDir, port, password);
		await client.connect();
		try {
			return await action(client);
		} finally {
			client.disconnect();
		}
	}
	await waitFor(
		`Redis on 127.0.0.1:${port}`,
		async () => {
			if (server.exitCode !== null) throw Object.assign(new Error(`redis-server exited ${server.exitCode}\n${tail(server.output())}`), { fatal: true });
			return (await withClient((client) => client.ping())) === 'PONG';
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	log(`Redis on 127.0.0.1:${port} (no persistence of its own; dumps into ${dir})`);

	return {
		server,
		/** What every n8n process needs to share this queue. */
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port), QUEUE_BULL_REDIS_PASSWORD: password },
		/** SAVE now; returns the dump file's bytes (as latin1 text, for searching) and the key count. */
		async dump() {
			const keys = await withClient(async (client) => {
				await client.save();
				return client.dbsize();
			});
			return { text: readFileSync(path.join(dir, 'dump.rdb')).toString('latin1'), keys };
		},
		stop: () => stop(server),
	};
}
