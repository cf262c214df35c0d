// The Plaid node's parameter panel (n8n's NDV) driven as a user drives it: dropdowns opened and
// options clicked by the labels the packed description gives, what the panel then shows read back.
// What n8n's editor does on its own is checked where it matters to the package: a Reason Code that
// the newly chosen operation does not offer is dropped (removeMismatchedOptionValues in n8n's
// editor-ui nodeSettingsUtils.ts unsets a value that is not among the options of the parameter now
// shown, and the parameter falls back to its default), and a node whose JSON names no operation
// opens on its version's default.

import assert from 'node:assert/strict';
import { NEWEST_VERSION } from './plaidDescription.mjs';
import { waitFor } from './processes.mjs';

const PASTE_INTERVAL_MS = 1200;

export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A dropdown option by its label: its headline when it has a description, its whole text otherwise. */
function option(page, name) {
	const exactly = new RegExp(`^${escapeRegExp(name)}$`);
	return page
		.getByRole('option')
		.filter({ has: page.locator('.option-headline', { hasText: exactly }) })
		.or(page.getByRole('option', { name, exact: true }))
		.first();
}

/** The label a parameter's input shows now. */
export const shownValue = (ndv, name) => ndv.getByTestId(`parameter-input-${name}`).locator('input').first().inputValue();

/** The labels a dropdown lists (headlines only), the dropdown closed again. */
async function listed(page, ndv, name) {
	await ndv.getByTestId(`parameter-input-${name}`).click();
	const options = page.getByRole('option');
	await options.first().waitFor();
	const labels = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	return labels;
}

/** Opens a parameter's dropdown, clicks the option, and waits until the input shows it. */
export async function select(page, ndv, name, optionName) {
	await ndv.getByTestId(`parameter-input-${name}`).click();
	await option(page, optionName).click();
	await waitFor(`${name} to show "${optionName}"`, async () => (await shownValue(ndv, name)) === optionName, { timeoutMs: 10_000, intervalMs: 100 });
}

/** The Operation dropdown lists exactly the resource's operations of the package. */
export async function assertOperationDropdown(page, ndv, plaid, resource, log) {
	const operations = await listed(page, ndv, 'operation');
	assert.deepEqual(operations, plaid.operations(resource).map(({ name }) => name), `the Operation dropdown (resource ${resource})`);
	log(`Operation dropdown (resource ${plaid.resourceName(resource)}): ${operations.join(', ')}`);
	return operations;
}

/** The operation's irreversible notice is on the panel (`expected`), or no irreversible notice is. */
export async function irreversibleNoticeShown(ndv, plaid, resource, operation, expected) {
	if (expected) {
		const text = plaid.notice(resource, operation);
		assert.ok(text, `the package has no irreversible notice for ${resource} → ${operation}`);
		await ndv.getByText(text, { exact: true }).waitFor();
		return;
	}
	for (const text of plaid.notices()) {
		assert.equal(await ndv.getByText(text, { exact: true }).count(), 0, `${resource} → ${operation} shows the notice "${text.slice(0, 60)}…"`);
	}
}

/**
 * "Add option" of the Options collection: Preview Only and Already Removed Is Success are offered on
 * an irreversible operation only; Max Rate-Limit Wait on every operation.
 */
export async function offersPreviewOnly(page, ndv, plaid, label, expected, log) {
	await ndv.getByTestId('collection-parameter-add').click();
	const entries = page.getByTestId('collection-parameter-option');
	await entries.first().waitFor();
	const offered = (await entries.allInnerTexts()).map((text) => text.trim());
	await page.keyboard.press('Escape');
	await entries.first().waitFor({ state: 'hidden' });
	for (const name of ['preview', 'alreadyRemovedIsSuccess']) {
		assert.equal(offered.includes(plaid.optionName(name)), expected, `${label}: Options ${expected ? 'lacks' : 'offers'} ${plaid.optionName(name)} (it offers ${offered.join(', ')})`);
	}
	assert.ok(offered.includes(plaid.optionName('maxRateLimitWait')), `${label}: Options lacks ${plaid.optionName('maxRateLimitWait')}`);
	log(`${label}, Add option: ${offered.join(', ')}`);
}

/**
 * Item → Terminate opens with its Reason Code default; another Terminate-only reason is picked; on
 * switching to Item → Remove the field must show Remove's default, and Remove's list not offer the
 * picked reason. Returns the picked value, which the saved node must not hold.
 */
export async function reasonCodeClearedOnRemove(page, ndv, plaid, log) {
	const terminate = plaid.field('reasonCode', 'item', 'terminate');
	const remove = plaid.field('reasonCode', 'item', 'remove');
	const removeValues = new Set(remove.options.map(({ value }) => value));
	const nameOf = (field, value) => field.options.find((candidate) => candidate.value === value).name;

	await select(page, ndv, 'resource', plaid.resourceName('item'));
	await select(page, ndv, 'operation', plaid.operation('item', 'terminate').name);
	await irreversibleNoticeShown(ndv, plaid, 'item', 'terminate', true);
	assert.ok(!removeValues.has(terminate.default), `Terminate's default reason ${terminate.default} is one Remove offers too`);
	assert.equal(await shownValue(ndv, 'reasonCode'), nameOf(terminate, terminate.default), "Terminate's Reason Code does not start at its default");
	const picked = terminate.options.find(({ value }) => value !== terminate.default && !removeValues.has(value));
	await select(page, ndv, 'reasonCode', picked.name);

	await select(page, ndv, 'operation', plaid.operation('item', 'remove').name);
	await irreversibleNoticeShown(ndv, plaid, 'item', 'remove', true);
	const shown = await shownValue(ndv, 'reasonCode');
	assert.equal(shown, nameOf(remove, remove.default), `after switching to Remove, Reason Code shows "${shown}"`);
	const offered = await listed(page, ndv, 'reasonCode');
	assert.ok(!offered.includes(picked.name), `Remove's Reason Code offers ${picked.name}`);
	log(`Item → Terminate: Reason Code "${nameOf(terminate, terminate.default)}" by default, set to "${picked.name}"; Item → Remove: it shows "${shown}" (${offered.length} reasons offered, "${picked.name}" not among them)`);
	return picked.value;
}

export async function closePanel(page) {
	const ndv = page.getByTestId('ndv');
	await page.getByTestId('ndv-close-button').click();
	await ndv.waitFor({ state: 'hidden' });
}

/**
 * Saves the workflow (Ctrl+S on the canvas) and reads it back through the REST API: the node added
 * in the editor is version 1.1, on Item → Remove, without the Terminate reason picked before.
 */
export async function assertSavedNode(page, rest, workflowId, droppedReason, log) {
	await page.getByTestId('canvas-wrapper').click({ position: { x: 20, y: 20 } });
	await page.keyboard.press('Control+s');
	const saved = await waitFor(
		`workflow ${workflowId} saved with the Plaid node on Item → Remove`,
		async () => (await rest.workflow(workflowId)).nodes.find((node) => node.type === 'n8n-nodes-plaid.plaid' && node.parameters.operation === 'remove'),
		{ timeoutMs: 30_000, intervalMs: 500 },
	);
	assert.equal(saved.typeVersion, NEWEST_VERSION, 'the version of a Plaid node added in the editor');
	assert.equal(saved.parameters.resource, 'item');
	assert.notEqual(saved.parameters.reasonCode, droppedReason, 'the saved node kept the Terminate reason');
	log(`saved: "${saved.name}" version ${saved.typeVersion}, parameters ${JSON.stringify(saved.parameters)}`);
}

/**
 * A Plaid node pasted onto the canvas with no parameters at all (as a workflow file, a template or
 * an API names none it leaves at their defaults) opens on its version's default operation: Get
 * Items from 1.1 on, Remove Items in version 1, where saved workflows rely on it.
 */
export async function pastedNodeOpensOn(page, plaid, version, log) {
	const name = `Plaid version ${version}, pasted`;
	const node = { id: `0c1d2e3f-0000-4000-8000-00000000000${version === 1 ? 1 : 2}`, name, type: 'n8n-nodes-plaid.plaid', typeVersion: version, position: [480, version === 1 ? 360 : 200], parameters: {} };
	await page.getByTestId('canvas-wrapper').click({ position: { x: 20, y: 20 } });
	// n8n's editor takes at most one paste a second (useClipboard wraps its handler in a 1000 ms throttle).
	await page.waitForTimeout(PASTE_INTERVAL_MS);
	await page.evaluate((text) => {
		const clipboardData = new DataTransfer();
		clipboardData.setData('text/plain', text);
		document.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
	}, JSON.stringify({ nodes: [node], connections: {} }));
	const onCanvas = page.getByTestId('canvas-node').filter({ has: page.getByText(name, { exact: true }) });
	await onCanvas.waitFor();
	await onCanvas.dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	const expected = plaid.operation('user', plaid.defaultOperation('user', version)).name;
	assert.equal(await shownValue(ndv, 'resource'), plaid.resourceName('user'), `${name}: Resource`);
	assert.equal(await shownValue(ndv, 'operation'), expected, `${name}: Operation`);
	const versionLabel = await ndv.getByTestId('node-version').innerText();
	assert.match(versionLabel, new RegExp(`version ${escapeRegExp(String(version))}(?![.\\d])`), `${name}: the panel says ${versionLabel}`);
	log(`${name}: opens on ${plaid.resourceName('user')} → ${expected} ("${versionLabel.trim()}")`);
	await closePanel(page);
}
