// PostgreSQL for the queue-mode suite, as n8n's shared database: Debian's server, a throwaway cluster
// in its own temp folder owned by the `postgres` OS user (PostgreSQL refuses to run as root), TCP on
// 127.0.0.1 only (no Unix socket), password logins only, one `n8n` role owning one `n8n` database.
// The server runs in the foreground under the suite, so it is stopped by its PID like everything else.

import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from './debian.mjs';
import { freePort, run, start, stop, tail, waitFor } from './processes.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const DATABASE = 'n8n';

/** The bin folder of the newest PostgreSQL Debian installed, or undefined. */
function binDir() {
	if (!existsSync(DEBIAN_ROOT)) return undefined;
	const versions = readdirSync(DEBIAN_ROOT).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
	const found = versions.map((version) => path.join(DEBIAN_ROOT, version, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
	return found;
}

function osUser(name) {
	const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

const hasServer = () => {
	if (!binDir()) return false;
	try {
		osUser('postgres');
		return true;
	} catch {
		return false;
	}
};

/** `pg` from the n8n app's install (n8n's own PostgreSQL driver). */
function pgClient(e2eDir, connection) {
	const { Client } = createRequire(path.join(e2eDir, 'node_modules', 'n8n', 'package.json'))('pg');
	return new Client({ host: '127.0.0.1', ...connection });
}

/**
 * Starts a fresh cluster and returns how to reach it: n8n's DB_* variables, a query function, a
 * pg_dump, and stop(). `log` reports what it does.
 */
export async function startPostgres({ e2eDir, log }) {
	await ensureDebianPackages(['postgresql'], hasServer, log);
	const bin = binDir();
	const owner = osUser('postgres');
	const home = mkdtempSync(path.join(os.tmpdir(), 'n8n-plaid-pg-'));
	const dataDir = path.join(home, 'data');
	const superPassword = randomBytes(18).toString('hex');
	const passwordFile = path.join(home, 'superuser-password');
	writeFileSync(passwordFile, `${superPassword}\n`, { mode: 0o600 });
	for (const file of [home, passwordFile]) chownSync(file, owner.uid, owner.gid);
	chmodSync(home, 0o700);
	const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: home };

	const initdb = await run(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', 'postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'],
		{ ...owner, env, cwd: home, label: 'initdb', timeoutMs: 120_000 },
	);
	if (initdb.code !== 0) throw new Error(`initdb exited ${initdb.code}\n${tail(initdb.output)}`);

	const port = await freePort();
	const server = start(path.join(bin, 'postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', ''], {
		...owner,
		env,
		cwd: home,
		label: 'postgres',
	});
	const superuser = { port, user: 'postgres', password: superPassword, database: 'postgres' };
	await waitFor(
		`PostgreSQL on 127.0.0.1:${port}`,
		async () => {
			if (server.exitCode !== null) throw Object.assign(new Error(`postgres exited ${server.exitCode}\n${tail(server.output())}`), { fatal: true });
			const client = pgClient(e2eDir, superuser);
			await client.connect();
			await client.end();
			return true;
		},
		{ timeoutMs: 60_000, intervalMs: 250 },
	);

	const n8nRole = { port, user: 'n8n', password: randomBytes(18).toString('hex'), database: DATABASE };
	await withClient(e2eDir, superuser, async (client) => {
		await client.query(`CREATE ROLE n8n LOGIN PASSWORD '${n8nRole.password}'`);
		await client.query(`CREATE DATABASE ${DATABASE} OWNER n8n`);
	});
	log(`PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}, data in ${dataDir}, database ${DATABASE} owned by role n8n`);

	return {
		server,
		/** What every n8n process needs to share this database. */
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: n8nRole.user,
			DB_POSTGRESDB_PASSWORD: n8nRole.password,
		},
		/** Runs one query as the n8n role; returns its rows. */
		query: (sql, params) => withClient(e2eDir, n8nRole, async (client) => (await client.query(sql, params)).rows),
		/** A plain-SQL pg_dump of n8n's database into `file`; returns its text. */
		async dump(file) {
			const dumped = await run(path.join(bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', n8nRole.user, '-d', DATABASE, '-f', file], {
				env: { ...env, PGPASSWORD: n8nRole.password },
				label: 'pg_dump',
				timeoutMs: 120_000,
			});
			if (dumped.code !== 0) throw new Error(`pg_dump exited ${dumped.code}\n${tail(dumped.output)}`);
			return readFileSync(file, 'utf8');
		},
		async stop() {
			await stop(server, 15_000);
			rmSync(home, { recursive: true, force: true });
		},
	};
}

async function withClient(e2eDir, connection, action) {
	const client = pgClient(e2eDir, connection);
	await client.connect();
	try {
		return await action(client);
	} finally {
		await client.end();
	}
}
