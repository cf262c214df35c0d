// @ts-check
/**
 * The Postgres node (n8n-nodes-base.postgres v2.6, resource Database) reduced to what the example
 * workflows use, over in-memory tables a test fills: Select with "Return All" and "Select Rows"
 * conditions (Equal, AND), Insert with "Map Each Column Manually", and Delete (command "Delete")
 * with "Select Rows" conditions. Outputs are shaped as the real node shapes them with its default
 * "Query Batching: Single Query": each statement's rows paired to the input item it ran for, and,
 * when no statement returned a row, one `{ success: true }` paired to every input item (nothing at
 * all for a Select). Anything else is refused, like the other stand-ins in core-nodes.js.
 */
const { NodeConnectionTypes, NodeOperationError } = require('n8n-workflow');

/**
 * @typedef {object} TableDefinition
 * @property {string[]} columns every column, in table order
 * @property {string[]} [notNull] columns that refuse null
 * @property {Record<string, () => unknown>} [defaults] what a column gets when an insert leaves it out
 * @property {Record<string, unknown[]>} [allowed] a column's CHECK (column IN (…)) values
 * @property {Array<Record<string, unknown>>} [rows]
 */

/**
 * @typedef {{ columns: string[], notNull: string[], defaults: Record<string, () => unknown>, allowed: Record<string, unknown[]>,
 *   rows: Array<Record<string, unknown>> }} Table
 */

/** The stand-in's database: tables by name, in schema `public` only. */
const postgresDatabase = {
	/** @type {Map<string, Table>} */
	tables: new Map(),

	/** @param {string} name @param {TableDefinition} definition */
	define(name, definition) {
		const { columns, notNull = [], defaults = {}, allowed = {}, rows = [] } = definition;
		this.tables.set(name, { columns, notNull, defaults, allowed, rows: rows.map((row) => ({ ...row })) });
	},

	/** A copy of a table's rows. @param {string} name */
	rows(name) {
		return (this.tables.get(name)?.rows ?? []).map((row) => ({ ...row }));
	},

	reset() {
		this.tables.clear();
	},
};

/** @param {string} what */
function unsupported(what) {
	return new Error(`test stand-in: ${what} is not implemented; the examples do not use it`);
}

/** @param {string} displayName @param {string} name */
const resourceLocator = (displayName, name) => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: `${name}Search` } },
		{ displayName: 'By Name', name: 'name', type: 'string' },
	],
});

/**
 * The parts of an item's parameters every operation shares: its table, and its "Select Rows" as
 * [column, value] pairs. Only schema `public`, Equal conditions, AND and default options.
 * @param {any} context @param {number} i
 */
function readCommon(context, i) {
	const node = context.getNode();
	const schema = context.getNodeParameter('schema', i, undefined, { extractValue: true });
	if (schema !== 'public') throw unsupported(`schema "${schema}"`);
	const tableName = context.getNodeParameter('table', i, undefined, { extractValue: true });
	const table = postgresDatabase.tables.get(tableName);
	if (!table) throw new NodeOperationError(node, `relation "public.${tableName}" does not exist`, { itemIndex: i });
	if (Object.keys(context.getNodeParameter('options', i, {})).length > 0) throw unsupported('Postgres options');
	if (context.getNodeParameter('combineConditions', i, 'AND') !== 'AND') throw unsupported('conditions combined with OR');
	/** @type {Array<[string, string]>} */
	const conditions = (context.getNodeParameter('where', i, {}).values ?? []).map((/** @type {any} */ clause) => {
		if (clause.condition !== 'equal') throw unsupported(`the "${clause.condition}" condition`);
		if (!table.columns.includes(clause.column)) {
			throw new NodeOperationError(node, `column "${clause.column}" does not exist`, { itemIndex: i });
		}
		if (typeof clause.value !== 'string' || clause.value === '') throw unsupported(`an empty or non-text value for column "${clause.column}"`);
		return /** @type {[string, string]} */ ([clause.column, clause.value]);
	});
	/** @param {Record<string, unknown>} row */
	const matches = (row) => conditions.every(([column, value]) => String(row[column]) === value);
	return { table, matches };
}

/** @type {Record<string, (context: any, i: number) => Array<Record<string, unknown>>>} */
const statements = {
	select(context, i) {
		if (context.getNodeParameter('returnAll', i, false) !== true) throw unsupported('a Limit (turn on Return All)');
		if ((context.getNodeParameter('sort', i, {}).values ?? []).length > 0) throw unsupported('Sort');
		const { table, matches } = readCommon(context, i);
		return table.rows.filter(matches).map((row) => ({ ...row }));
	},
	insert(context, i) {
		const node = context.getNode();
		const { table } = readCommon(context, i);
		if (context.getNodeParameter('columns.mappingMode', i) !== 'defineBelow') throw unsupported('Auto-Map Input Data to Columns');
		const values = context.getNodeParameter('columns.value', i, {}) ?? {};
		const row = /** @type {Record<string, unknown>} */ ({});
		for (const column of table.columns) {
			// pg-promise formats undefined like null.
			row[column] = column in values ? (values[column] ?? null) : (table.defaults[column]?.() ?? null);
		}
		for (const key of Object.keys(values)) {
			if (!table.columns.includes(key)) throw new NodeOperationError(node, `Column '${key}' does not exist in selected table`, { itemIndex: i });
		}
		for (const column of table.notNull) {
			if (row[column] === null || row[column] === undefined) throw new NodeOperationError(node, `Column '${column}' is not nullable`, { itemIndex: i });
		}
		for (const [column, values] of Object.entries(table.allowed)) {
			if (!values.includes(row[column])) throw new NodeOperationError(node, `new row violates check constraint on "${column}"`, { itemIndex: i });
		}
		table.rows.push(row);
		// RETURNING *, the real node's default Output Columns.
		return [{ ...row }];
	},
	deleteTable(context, i) {
		if (context.getNodeParameter('deleteCommand', i) !== 'delete') throw unsupported('Truncate and Drop');
		const { table, matches } = readCommon(context, i);
		table.rows = table.rows.filter((row) => !matches(row));
		return [];
	},
};

const postgresNode = {
	description: {
		displayName: 'Postgres',
		name: 'postgres',
		group: ['input'],
		version: [2.5, 2.6],
		description: 'Postgres (test stand-in)',
		defaults: { name: 'Postgres' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'hidden', default: 'database' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'insert' },
			resourceLocator('Schema', 'schema'),
			resourceLocator('Table', 'table'),
			{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, displayOptions: { show: { operation: ['select'] } } },
			{ displayName: 'Command', name: 'deleteCommand', type: 'string', default: 'truncate', displayOptions: { show: { operation: ['deleteTable'] } } },
			{
				displayName: 'Select Rows',
				name: 'where',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{ displayName: 'Column', name: 'column', type: 'string', default: '' },
							{ displayName: 'Operator', name: 'condition', type: 'string', default: 'equal' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
				displayOptions: { show: { operation: ['select', 'deleteTable'] } },
			},
			{ displayName: 'Combine Conditions', name: 'combineConditions', type: 'string', default: 'AND', displayOptions: { show: { operation: ['select', 'deleteTable'] } } },
			{ displayName: 'Sort', name: 'sort', type: 'fixedCollection', default: {}, options: [], displayOptions: { show: { operation: ['select'] } } },
			{
				displayName: 'Columns',
				name: 'columns',
				type: 'resourceMapper',
				default: { mappingMode: 'defineBelow', value: null },
				typeOptions: { resourceMapper: { resourceMapperMethod: 'getMappingColumns', mode: 'add' } },
				displayOptions: { show: { operation: ['insert'] } },
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/** @this {any} */
	async execute() {
		const operation = this.getNodeParameter('operation', 0);
		const statement = statements[operation];
		if (this.getNodeParameter('resource', 0) !== 'database' || !statement) throw unsupported(`the "${operation}" operation`);
		const items = this.getInputData();
		// Single Query: the run's statements go to the database as one batch, which fails as a whole.
		const before = [...postgresDatabase.tables.values()].map((table) => [table, table.rows.map((row) => ({ ...row }))]);
		/** @type {Array<Array<Record<string, unknown>>>} */
		let results;
		try {
			results = items.map((/** @type {unknown} */ _item, /** @type {number} */ i) => statement(this, i));
		} catch (error) {
			for (const [table, rows] of /** @type {Array<[Table, Array<Record<string, unknown>>]>} */ (before)) table.rows = rows;
			throw error;
		}
		const output = results.flatMap((rows, i) => rows.map((json) => ({ json, pairedItem: { item: i } })));
		if (output.length > 0 || operation === 'select') return [output];
		return [[{ json: { success: true }, pairedItem: items.map((/** @type {unknown} */ _item, /** @type {number} */ i) => ({ item: i })) }]];
	},
};

module.exports = { postgresNode, postgresDatabase };
