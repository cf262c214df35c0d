// @ts-check
/**
 * Loads a seed .sql file (the one the real-app suite runs against PostgreSQL) into the Postgres
 * stand-in, so engine tests and the real app start from the same tables and rows. It reads only
 * what such a seed holds: DROP TABLE, CREATE TABLE with text / serial / timestamptz columns
 * (PRIMARY KEY, NOT NULL, DEFAULT now(), CHECK (column IN (…))), and INSERT … VALUES of quoted
 * strings and NULL.
 * Anything else is refused.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { postgresDatabase } = require('./postgres-standin');

/** @param {string} sql */
function statementsOf(sql) {
	return sql
		.split('\n')
		.filter((line) => !line.trim().startsWith('--'))
		.join('\n')
		.split(';')
		.map((statement) => statement.trim())
		.filter(Boolean);
}

/** Splits on commas that are outside parentheses and quotes. @param {string} text */
function splitTopLevel(text) {
	/** @type {string[]} */
	const parts = [];
	let depth = 0;
	let quoted = false;
	let current = '';
	for (const char of text) {
		if (char === "'") quoted = !quoted;
		if (!quoted && char === '(') depth += 1;
		if (!quoted && char === ')') depth -= 1;
		if (!quoted && depth === 0 && char === ',') {
			parts.push(current.trim());
			current = '';
		} else {
			current += char;
		}
	}
	if (current.trim()) parts.push(current.trim());
	return parts;
}

/** @param {string} name @param {string} definition */
function defineTable(name, definition) {
	let serial = 0;
	/** @type {import('./postgres-standin').TableDefinition} */
	const table = { columns: [], notNull: [], defaults: {}, allowed: {} };
	for (const column of splitTopLevel(definition)) {
		const match = /^(\w+)\s+(text|serial|timestamptz)\b(.*)$/i.exec(column);
		if (!match) throw new Error(`sql-seed: cannot read the column definition "${column}"`);
		const [, columnName, type, rest] = match;
		table.columns.push(columnName);
		if (/NOT NULL|PRIMARY KEY/i.test(rest)) table.notNull?.push(columnName);
		const check = /CHECK \((\w+) IN \(([^)]*)\)\)/i.exec(rest);
		if (check) /** @type {Record<string, unknown[]>} */ (table.allowed)[check[1]] = splitTopLevel(check[2]).map(literal);
		else if (/CHECK/i.test(rest)) throw new Error(`sql-seed: cannot read the check of "${column}"`);
		if (type.toLowerCase() === 'serial') /** @type {Record<string, () => unknown>} */ (table.defaults)[columnName] = () => ++serial;
		else if (/DEFAULT now\(\)/i.test(rest)) /** @type {Record<string, () => unknown>} */ (table.defaults)[columnName] = () => new Date().toISOString();
		else if (/DEFAULT/i.test(rest)) throw new Error(`sql-seed: cannot read the default of "${column}"`);
	}
	postgresDatabase.define(name, table);
}

/** @param {string} value */
function literal(value) {
	if (/^NULL$/i.test(value)) return null;
	const match = /^'((?:[^']|'')*)'$/.exec(value);
	if (!match) throw new Error(`sql-seed: cannot read the value ${value}`);
	return match[1].replace(/''/g, "'");
}

/** @param {string} name @param {string} columnList @param {string} tuples */
function insertRows(name, columnList, tuples) {
	const table = postgresDatabase.tables.get(name);
	if (!table) throw new Error(`sql-seed: INSERT into ${name} before its CREATE TABLE`);
	const columns = splitTopLevel(columnList);
	for (const tuple of splitTopLevel(tuples)) {
		const values = splitTopLevel(tuple.replace(/^\(|\)$/g, '')).map(literal);
		/** @type {Record<string, unknown>} */
		const row = {};
		for (const column of table.columns) row[column] = table.defaults[column]?.() ?? null;
		columns.forEach((column, index) => (row[column] = values[index]));
		table.rows.push(row);
	}
}

/**
 * Resets the stand-in's database and runs the seed file into it.
 * @param {string} file path from the repository root
 */
function loadSqlSeed(file) {
	postgresDatabase.reset();
	const sql = readFileSync(path.resolve(__dirname, '..', '..', file), 'utf8');
	for (const statement of statementsOf(sql)) {
		const create = /^CREATE TABLE (\w+) \(([\s\S]*)\)$/i.exec(statement);
		const insert = /^INSERT INTO (\w+) \(([^)]*)\) VALUES([\s\S]*)$/i.exec(statement);
		if (/^DROP TABLE IF EXISTS \w+$/i.test(statement)) continue;
		if (create) defineTable(create[1], create[2]);
		else if (insert) insertRows(insert[1], insert[2], insert[3]);
		else throw new Error(`sql-seed: cannot run "${statement.slice(0, 60)}…"`);
	}
}

module.exports = { loadSqlSeed };
