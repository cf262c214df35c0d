// @ts-check
'use strict';

// The repository's own files, for tests that check what is committed (workflows, templates). It lives
// in a .js file because n8n's linter, which covers every .ts file of the package, forbids node:fs,
// node:path and __dirname.

const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @param {string} relativePath from the repository root, with forward slashes
 * @returns {string}
 */
const readRepoFile = (relativePath) => readFileSync(path.join(REPO_ROOT, ...relativePath.split('/')), 'utf8');

/**
 * Every file under a folder of the repository, recursively, as paths from the repository root.
 * @param {string} folder e.g. 'nodes'
 * @returns {string[]} sorted, with forward slashes
 */
const listRepoFiles = (folder) =>
	readdirSync(path.join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
		.sort();

/**
 * What requiring the package by name gives (package.json "main"), beside the classes dist/ holds.
 * @returns {{ entry: Record<string, { name: string }>, built: Record<string, { name: string }> }}
 */
function packageEntry() {
	const entry = require(REPO_ROOT);
	const built = {
		Plaid: require(path.join(REPO_ROOT, 'dist/nodes/Plaid/Plaid.node')).Plaid,
		PlaidTrigger: require(path.join(REPO_ROOT, 'dist/nodes/PlaidTrigger/PlaidTrigger.node')).PlaidTrigger,
		PlaidApi: require(path.join(REPO_ROOT, 'dist/credentials/PlaidApi.credentials')).PlaidApi,
	};
	return { entry, built };
}

/**
 * `a/b/../c` → `a/c`: `.` and `..` resolved in a relative path with forward slashes.
 * @param {string} relativePath
 */
function normalizePath(relativePath) {
	/** @type {string[]} */
	const parts = [];
	for (const part of relativePath.split('/')) {
		if (part === '..') parts.pop();
		else if (part !== '.') parts.push(part);
	}
	return parts.join('/');
}

module.exports = { REPO_ROOT, readRepoFile, listRepoFiles, packageEntry, normalizePath };
