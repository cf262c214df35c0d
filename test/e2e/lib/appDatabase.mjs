// The app's own database, for examples that work with one through n8n's Postgres node (the token
// recipe reads the access tokens the app keeps and writes its audit rows there): one database `app`
// in the suite's PostgreSQL cluster, an n8n `postgres` credential under each id the examples name,
// the example's tables created and seeded from its expectations' SQL before each run, and the
// expectations' own look at the tables after it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { credentialsReferenced } from './workflows.mjs';

const APP_DATABASE = 'app';

/**
 * The app database and its n8n credentials when an example names a `postgres` credential; otherwise
 * no database and no credentials. `postgres` is the suite run's cluster (postgres.mjs suitePostgres).
 */
export async function prepareAppDatabase(examples, postgres) {
	const references = credentialsReferenced(examples, 'postgres');
	if (references.length === 0) return { database: undefined, credentials: [] };
	const database = await postgres.database(APP_DATABASE);
	const { host, port, user, password, database: name } = database.connection;
	const credentials = references.map(({ id, name: credentialName }) => ({
		id,
		name: credentialName,
		type: 'postgres',
		data: { host, port, database: name, user, password, ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 10 },
	}));
	return { database, credentials };
}

/** The app database as a step of the suite, when an example needs it: `{ database, credentials }`. */
export async function appDatabaseFor(examples, { step, postgres, label = '' }) {
	const users = examples.filter(({ workflow }) => workflow.nodes.some((node) => node.credentials?.postgres)).map(({ file }) => file);
	if (users.length === 0) return { database: undefined, credentials: [] };
	return step(`${label}PostgreSQL on 127.0.0.1, the app database of ${users.join(', ')} (one cluster per suite run; apt-get install when missing)`, () =>
		prepareAppDatabase(examples, postgres),
	);
}

/** Before a run: the example's tables dropped, created and seeded from `databaseSeed`, if it has one. */
export async function seedAppDatabase(expectations, database, example) {
	if (!expectations?.databaseSeed) return;
	assert.ok(database, `${example.file}: its expectations seed a database, but it names no postgres credential`);
	await database.query(readFileSync(expectations.databaseSeed, 'utf8'));
}

/** After a run: the expectations' `checkDatabase({ query, requests })`, if they have one. */
export async function checkAppDatabase(expectations, database, requests) {
	if (!expectations?.checkDatabase) return false;
	await expectations.checkDatabase({ query: (sql, params) => database.query(sql, params), requests });
	return true;
}
