// @ts-check
/**
 * The data table a workflow's Data table node (Row → Insert, By Name) writes to, read from the node
 * as the editor saved it: the table's name, and its columns from the node's column schema (the
 * editor lists a table's columns there, a `date` column as type `dateTime`). The engine tests create
 * their in-memory table from it and the end-to-end suite creates the real one, so the example
 * workflow is the one place the evidence table's columns are written down. No dependencies: the
 * e2e suite imports it too.
 */

/** @typedef {{ name: string, type: 'string' | 'number' | 'boolean' | 'date' }} Column */

/**
 * @param {{ nodes: Array<{ type: string, name: string, parameters: any }> }} workflow
 * @returns {{ node: string, name: string, columns: Column[] }}
 */
function dataTableOf(workflow) {
	const nodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.dataTable');
	if (nodes.length !== 1) throw new Error(`expected one Data table node, found ${nodes.length}`);
	const [{ name: node, parameters }] = nodes;
	if (parameters.dataTableId?.mode !== 'name') throw new Error(`${node}: the table is not chosen By Name`);
	const columns = (parameters.columns?.schema ?? []).map((/** @type {{ id: string, type: string }} */ { id, type }) => ({
		name: id,
		type: /** @type {Column['type']} */ (type === 'dateTime' ? 'date' : type),
	}));
	return { node, name: parameters.dataTableId.value, columns };
}

module.exports = { dataTableOf };
