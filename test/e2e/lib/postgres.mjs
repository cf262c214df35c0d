// PostgreSQL for the suites: Debian's server, one throwaway cluster per suite run in its own temp
// folder owned by the `postgres` OS user (PostgreSQL refuses to run as root), TCP on 127.0.0.1 only
// (no Unix socket), password logins only. Each user of it gets its own role owning its own database:
// n8n's shared database in queue mode, the app database that examples read and write through n8n's
// Postgres node. The server runs in the foreground under the suite, so it is stopped by its PID like
// everything else.

import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from './debian.mjs';
import { freePort, run, start, stop, tail, waitFor } from './processes.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';

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
 * Starts a fresh cluster; returns its server, `database(name)` (a role and a database of that name,
 * created on first use) and stop(). `log` reports what it does.
 */
export async function startPostgresCluster({ e2eDir, log }) {
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
	log(`PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}, data in ${dataDir}`);

	const databases = new Map();
	const createDatabase = async (name) => {
		const role = { port, user: name, password: randomBytes(18).toString('hex'), database: name };
		await withClient(e2eDir, superuser, async (client) => {
			await client.query(`CREATE ROLE ${name} LOGIN PASSWORD '${role.password}'`);
			await client.query(`CREATE DATABASE ${name} OWNER ${name}`);
		});
		log(`PostgreSQL: database ${name} owned by role ${name}`);
		return databaseHandle({ e2eDir, bin, env, server, role });
	};
	return {
		server,
		port,
		/** The database `name` (a plain SQL identifier), owned by a role of the same name. */
		database(name) {
			if (!databases.has(name)) databases.set(name, createDatabase(name));
			return databases.get(name);
		},
		async stop() {
			await stop(server, 15_000);
			rmSync(home, { recursive: true, force: true });
		},
	};
}

function databaseHandle({ e2eDir, bin, env, server, role }) {
	return {
		server,
		/** host, port, user, password, database: how its role reaches it. */
		connection: { host: '127.0.0.1', ...role },
		/** What an n8n process needs to keep its own data in this database. */
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(role.port),
			DB_POSTGRESDB_DATABASE: role.database,
			DB_POSTGRESDB_USER: role.user,
			DB_POSTGRESDB_PASSWORD: role.password,
		},
		/** Runs SQL as the database's role (several statements when there are no params); returns the rows. */
		query: (sql, params) => withClient(e2eDir, role, async (client) => (await client.query(sql, params)).rows),
		/** A plain-SQL pg_dump of the database into `file`; returns its text. */
		async dump(file) {
			const dumped = await run(path.join(bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(role.port), '-U', role.user, '-d', role.database, '-f', file], {
				env: { ...env, PGPASSWORD: role.password },
				label: 'pg_dump',
				timeoutMs: 120_000,
			});
			if (dumped.code !== 0) throw new Error(`pg_dump exited ${dumped.code}\n${tail(dumped.output)}`);
			return readFileSync(file, 'utf8');
		},
	};
}

/**
 * One cluster for a whole suite run, started when a suite first asks for a database (the examples
 * suite's app database, the queue suite's n8n database), stopped once at the end.
 */
export function suitePostgres({ e2eDir, log }) {
	let cluster;
	return {
		database: async (name) => (await (cluster ??= startPostgresCluster({ e2eDir, log }))).database(name),
		started: () => cluster !== undefined,
		stop: async () => {
			// A cluster that failed to start has nothing left to stop.
			const started = await cluster?.catch(() => undefined);
			await started?.stop();
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
