// @ts-check
/**
 * The Data table node (n8n-nodes-base.dataTable v1.1) reduced to what the examples use: Row →
 * Insert into a table chosen By Name, columns "Map Automatically" (autoMapInputData), over
 * in-memory tables a test creates. It checks what n8n 2.41 checks: the node drops the system
 * columns (id, createdAt, updatedAt) and refuses arrays and objects; the data table service refuses
 * a column the table does not have and a value that does not fit its column's type (n8n-workflow's
 * validateFieldType, not strict), turns dates into ISO strings, and inserts the node's rows all or
 * none. A table is found By Name the way n8n's repository finds it: the name contains the given
 * text, ignoring case. Anything else is refused, like the other stand-ins in core-nodes.js.
 */
const { DATA_TABLE_SYSTEM_COLUMNS, NodeConnectionTypes, NodeOperationError, validateFieldType } = require('n8n-workflow');
const { unsupported } = require('./unsupported');

/** @typedef {'string' | 'number' | 'boolean' | 'date'} ColumnType */
/** @typedef {{ name: string, type: ColumnType }} Column */
/** @typedef {{ name: string, columns: Column[], rows: Array<Record<string, unknown>>, nextId: number }} Table */

/** A column type's field type for validateFieldType (the data table module's columnTypeToFieldType). */
const FIELD_TYPES = { string: 'string', number: 'number', boolean: 'boolean', date: 'dateTime' };

/** The stand-in's data tables, by name, in one project. */
const dataTables = {
	/** @type {Map<string, Table>} */
	tables: new Map(),

	/** @param {string} name @param {Column[]} columns */
	create(name, columns) {
		for (const { name: column, type } of columns) {
			if (!(type in FIELD_TYPES)) throw new Error(`data table stand-in: column "${column}" has no type of n8n's (${type})`);
		}
		this.tables.set(name, { name, columns: columns.map((column) => ({ ...column })), rows: [], nextId: 1 });
	},

	/** A copy of a table's rows, as n8n's REST API returns them (dates as ISO strings). @param {string} name */
	rows(name) {
		return (this.tables.get(name)?.rows ?? []).map((row) => ({ ...row }));
	},

	reset() {
		this.tables.clear();
	},
};

/** @param {any} node @param {string} value */
function tableNamed(node, value) {
	const found = [...dataTables.tables.values()].filter((table) => table.name.toLowerCase().includes(value.toLowerCase()));
	if (found.length === 0) throw new NodeOperationError(node, `Data table with name "${value}" not found`);
	// n8n would take the most recently updated one; the examples never leave it a choice.
	if (found.length > 1) throw unsupported(`a name that ${found.length} tables contain`);
	return found[0];
}

/** The node's getAddRow + dataObjectToApiInput for "Map Automatically". @param {any} node @param {Record<string, unknown>} json @param {number} i */
function rowOfItem(node, json, i) {
	const data = { ...json };
	for (const column of DATA_TABLE_SYSTEM_COLUMNS) delete data[column];
	return Object.fromEntries(
		Object.entries(data).map(([key, value]) => {
			if (value === undefined || value === null) return [key, null];
			if (Array.isArray(value)) throw new NodeOperationError(node, `unexpected array input '${JSON.stringify(value)}' in row ${i}`);
			if (value instanceof Date) return [key, value];
			if (typeof value === 'object') throw new NodeOperationError(node, `unexpected object input '${JSON.stringify(value)}' in row ${i}`);
			return [key, value];
		}),
	);
}

/** The service's validateAndTransformRows. @param {any} node @param {Table} table @param {Record<string, unknown>} row */
function validatedRow(node, table, row) {
	const types = new Map(table.columns.map(({ name, type }) => [name, type]));
	return Object.fromEntries(
		Object.entries(row).map(([key, cell]) => {
			const type = types.get(key);
			if (!type) throw new NodeOperationError(node, `unknown column name '${key}'`);
			if (cell === null) return [key, null];
			const result = validateFieldType(key, cell, /** @type {any} */ (FIELD_TYPES[type]), { strict: false, parseStrings: false });
			if (!result.valid) throw new NodeOperationError(node, `value '${String(cell)}' does not match column type '${type}': ${result.errorMessage}`);
			return [key, type === 'date' ? /** @type {any} */ (result.newValue).toUTC().toISO() : result.newValue];
		}),
	);
}

/** A stored row as the node outputs it: system columns first, dates as Date objects. @param {Table} table @param {Record<string, unknown>} row */
function outputRow(table, row) {
	const dates = new Set(['createdAt', 'updatedAt', ...table.columns.filter(({ type }) => type === 'date').map(({ name }) => name)]);
	return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, dates.has(key) && typeof value === 'string' ? new Date(value) : value]));
}

const dataTableNode = {
	description: {
		displayName: 'Data table',
		name: 'dataTable',
		group: ['input', 'transform'],
		version: [1.1],
		description: 'Data table (test stand-in)',
		defaults: { name: 'Data table' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'string', default: 'row' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'insert' },
			{
				displayName: 'Data table',
				name: 'dataTableId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'tableSearch' } },
					{ displayName: 'By Name', name: 'name', type: 'string' },
					{ displayName: 'ID', name: 'id', type: 'string' },
				],
			},
			{
				displayName: 'Columns',
				name: 'columns',
				type: 'resourceMapper',
				default: { mappingMode: 'defineBelow', value: null },
				typeOptions: { resourceMapper: { resourceMapperMethod: 'getDataTables', mode: 'add' } },
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/** @this {any} */
	async execute() {
		const node = this.getNode();
		const [resource, operation] = [this.getNodeParameter('resource', 0), this.getNodeParameter('operation', 0)];
		if (`${resource}.${operation}` !== 'row.insert') throw unsupported(`${resource} → ${operation}`);
		const locator = this.getNodeParameter('dataTableId', 0);
		if (locator.mode !== 'name') throw unsupported(`choosing the table ${locator.mode === 'id' ? 'by ID' : 'from the list'}`);
		if (this.getNodeParameter('columns.mappingMode', 0) !== 'autoMapInputData') throw unsupported('Map Each Column Manually');
		if (Object.keys(this.getNodeParameter('options', 0, {})).length > 0) throw unsupported('Data table options');
		const table = tableNamed(node, locator.value);
		/** @type {Array<Record<string, unknown>>} */
		const rows = this.getInputData().map((/** @type {any} */ item, /** @type {number} */ i) => validatedRow(node, table, rowOfItem(node, item.json, i)));
		// All validated before any is stored: n8n inserts them in one transaction.
		return [
			rows.map((row, i) => {
				const now = new Date().toISOString();
				const stored = { id: table.nextId++, createdAt: now, updatedAt: now, ...Object.fromEntries(table.columns.map(({ name }) => [name, row[name] ?? null])) };
				table.rows.push(stored);
				return { json: outputRow(table, stored), pairedItem: { item: i } };
			}),
		];
	},
};

module.exports = { dataTableNode, dataTables };
