// n8n's Data tables through the REST API the editor uses (n8n 2.41.1: the data-table module, on by
// default): the owner signs in, the table an example's Data table node names is created in that
// workflow's project with the columns the node lists (test/harness/dataTableSchema.js), and its rows
// are read back, filtered as the editor's table view filters them. Nothing here writes a row: only
// the workflow does.

import { createRequire } from 'node:module';
import { OWNER } from './server.mjs';

const require = createRequire(import.meta.url);
const { dataTableOf } = require('../../harness/dataTableSchema.js');

const BROWSER_ID = 'n8n-nodes-plaid-e2e-data-tables';
const REQUEST_TIMEOUT_MS = 15_000;
/** n8n's MAX_ITEMS_PER_PAGE for a rows page. */
const PAGE = 250;

/** A REST session of its own (its own cookie), as the owner. `setUp`: the instance has no owner yet. */
export async function ownerSession(baseUrl, { setUp = false } = {}) {
	let cookie = '';
	async function call(method, route, body) {
		const response = await fetch(`${baseUrl}/rest/${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest/${route}: ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}
	if (setUp) await call('POST', 'owner/setup', OWNER);
	else await call('POST', 'login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	return { call };
}

/**
 * Creates the table the workflow's Data table node writes to, in the workflow's project (where the
 * node looks it up By Name). Returns where it lives and its definition.
 */
export async function createDataTableOf(session, workflow) {
	const { name, columns } = dataTableOf(workflow);
	const stored = await session.call('GET', `workflows/${workflow.id}`);
	const projectId = stored.homeProject?.id ?? (await session.call('GET', 'projects/personal')).id;
	const created = await session.call('POST', `projects/${projectId}/data-tables`, { name, columns });
	const listed = await session.call('GET', `projects/${projectId}/data-tables/${created.id}/columns`);
	return { projectId, id: created.id, name, columns: listed.map(({ name: column, type }) => ({ name: column, type })) };
}

/**
 * Every row of the table (oldest first), or those matching `filters` (all of them): the editor's
 * filter, e.g. `[{ columnName: 'customer_id', condition: 'eq', value: 'crm-1001' }]`.
 */
export async function rowsOf(session, table, filters = []) {
	const rows = [];
	for (let skip = 0; ; skip += PAGE) {
		const query = new URLSearchParams({ skip: String(skip), take: String(PAGE), sortBy: 'id:asc' });
		if (filters.length > 0) query.set('filter', JSON.stringify({ type: 'and', filters }));
		const { count, data } = await session.call('GET', `projects/${table.projectId}/data-tables/${table.id}/rows?${query}`);
		rows.push(...data);
		if (data.length === 0 || rows.length >= count) return rows;
	}
}
