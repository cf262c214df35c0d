// n8n's Data tables through the REST API the editor uses (n8n 2.41.1: the data-table module, on by
// default), as the owner (a server.mjs restClient): the table an example's Data table node names is
// created in that workflow's project with the columns the node lists (test/harness/dataTableSchema.js),
// and its rows are read back, filtered as the editor's table view filters them. Nothing here writes a
// row: only the workflow does.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { dataTableOf } = require('../../harness/dataTableSchema.js');

/** n8n's MAX_ITEMS_PER_PAGE for a rows page. */
const PAGE = 250;

/**
 * Creates the table the workflow's Data table node writes to, in the workflow's project (where the
 * node looks it up By Name): without a sharing licence that is the owner's personal project, where
 * `n8n import:workflow` puts every workflow. Returns where it lives and its definition.
 */
export async function createDataTableOf(rest, workflow) {
	const { name, columns } = dataTableOf(workflow);
	const { id: projectId } = await rest.call('GET', 'projects/personal');
	const created = await rest.call('POST', `projects/${projectId}/data-tables`, { name, columns });
	const listed = await rest.call('GET', `projects/${projectId}/data-tables/${created.id}/columns`);
	return { projectId, id: created.id, name, columns: listed.map(({ name: column, type }) => ({ name: column, type })) };
}

/**
 * Every row of the table (oldest first), or those matching `filters` (all of them): the editor's
 * filter, e.g. `[{ columnName: 'customer_id', condition: 'eq', value: 'crm-1001' }]`.
 */
export async function rowsOf(rest, table, filters = []) {
	const rows = [];
	for (let skip = 0; ; skip += PAGE) {
		const query = new URLSearchParams({ skip: String(skip), take: String(PAGE), sortBy: 'id:asc' });
		if (filters.length > 0) query.set('filter', JSON.stringify({ type: 'and', filters }));
		const { count, data } = await rest.call('GET', `projects/${table.projectId}/data-tables/${table.id}/rows?${query}`);
		rows.push(...data);
		if (data.length === 0 || rows.length >= count) return rows;
	}
}
