// The editor check in a real browser: Debian's chromium, headless, with a fresh profile, signs in as
// the owner, opens a new workflow, searches the node panel for "Plaid", adds the Plaid node through
// its Remove Items action and screenshots its parameter panel, then goes through the parameters as a
// user would (editorParameters.mjs). Labels come from the packed description (plaidDescription.mjs).
// Every wait has a deadline; nothing downloads a browser.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { OWNER } from './server.mjs';
import { plaidDescription } from './plaidDescription.mjs';
import {
	assertOperationDropdown,
	assertSavedNode,
	closePanel,
	escapeRegExp,
	irreversibleNoticeShown,
	offersPreviewOnly,
	pastedNodeOpensOn,
	reasonCodeClearedOnRemove,
	select,
} from './editorParameters.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const STEP_TIMEOUT_MS = 60_000;
/** Where n8n serves icons of community packages from: proves the icon came from the installed package. */
const PACKAGE_ICON = /\/icons\/n8n-nodes-plaid\/dist\/nodes\/Plaid\/plaid\.svg$/;
/** The fields of Remove Items, by parameter name, that the panel must show (besides the credential). */
const REMOVE_ITEMS_FIELDS = ['resource', 'operation', 'identifyBy', 'userId', 'itemSelection', 'itemIds'];

/**
 * Runs the whole editor check; returns what the node panel and the Operation dropdown listed and
 * the id of the workflow the editor saved.
 */
export async function checkEditor({ e2eDir, repoDir, baseUrl, rest, parameterShot, nodePanelShot, failureShot, log }) {
	const { chromium, selectors } = createRequire(path.join(e2eDir, 'package.json'))('playwright-core');
	selectors.setTestIdAttribute('data-test-id');
	const plaid = plaidDescription(repoDir);
	const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'n8n-plaid-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1440, height: 900 },
		timeout: STEP_TIMEOUT_MS,
	});
	try {
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		const page = context.pages()[0] ?? (await context.newPage());
		try {
			await signIn(page, baseUrl, log);
			await page.goto(`${baseUrl}/workflow/new`);
			await addManualTrigger(page);
			const actions = await findPlaidInNodePanel(page, plaid, nodePanelShot, log);
			const operations = await openRemoveItems(page, plaid, parameterShot, log);
			const droppedReason = await walkThroughParameters(page, plaid, log);
			const workflowId = new URL(page.url()).pathname.split('/')[2];
			await assertSavedNode(page, rest, workflowId, droppedReason, log);
			for (const version of [1.1, 1]) await pastedNodeOpensOn(page, plaid, version, log);
			return { actions, operations, workflowId };
		} catch (error) {
			await recordFailure(page, failureShot, log);
			throw error;
		}
	} finally {
		await context.close();
		rmSync(userDataDir, { recursive: true, force: true });
	}
}

async function signIn(page, baseUrl, log) {
	await page.goto(`${baseUrl}/signin`);
	await page.getByLabel(/email/i).fill(OWNER.email);
	await page.getByLabel(/password/i).fill(OWNER.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	log('signed in to the editor as the owner');
}

/** An empty workflow's node panel offers triggers only; a Manual Trigger first makes it offer actions. */
async function addManualTrigger(page) {
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('Manual Trigger');
	await page.getByTestId('item-iterator-item').filter({ hasText: 'Manual Trigger' }).first().click();
	await page.getByTestId('canvas-trigger-node').waitFor();
}

/**
 * The Plaid entry of the node panel lists the actions; its entry has no drag handle (n8n renders a
 * node with actions draggable="false"), so a node is only ever added through one of its actions.
 */
async function findPlaidInNodePanel(page, plaid, nodePanelShot, log) {
	await page.getByTestId('node-creator-plus-button').click();
	const panel = page.getByTestId('node-creator');
	await page.getByTestId('node-creator-search-bar').fill('Plaid');
	const entry = panel.getByTestId('item-iterator-item').filter({ has: page.getByTestId('node-creator-item-name').getByText('Plaid', { exact: true }) });
	await assertPackageIcon(entry.locator('img').first(), 'node panel entry');
	await entry.first().click();
	const { action } = plaid.operation('user', 'removeItems');
	const removeItems = panel.getByTestId('item-iterator-item').filter({ hasText: new RegExp(`^${escapeRegExp(action)}$`) });
	await removeItems.waitFor();
	await settled(removeItems);
	// Single-line entries are the section headers and actions (the node's own entry has a description).
	const actions = (await panel.getByTestId('item-iterator-item').allInnerTexts()).map((text) => text.trim()).filter((text) => !text.includes('\n'));
	await page.screenshot({ path: nodePanelShot });
	log(`node panel, Plaid: ${actions.join(' | ')}`);
	await removeItems.click();
	return actions;
}

/** The panel Remove Items opens with: its fields, its irreversible notice, the screenshot, the Operation list, Preview Only among the Options. */
async function openRemoveItems(page, plaid, parameterShot, log) {
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	await assertPackageIcon(ndv.locator('img').first(), 'parameter panel header');
	const labels = REMOVE_ITEMS_FIELDS.map((name) => plaid.field(name, 'user', 'removeItems').displayName);
	for (const label of ['Credential', ...labels, 'Options']) await ndv.getByText(label, { exact: true }).first().waitFor();
	await irreversibleNoticeShown(ndv, plaid, 'user', 'removeItems', true);
	await page.screenshot({ path: parameterShot });
	log(`parameter panel shows: Credential, ${labels.join(', ')}, Options, and the notice "${plaid.notice('user', 'removeItems').slice(0, 60)}…"`);
	const operations = await assertOperationDropdown(page, ndv, plaid, 'user', log);
	await offersPreviewOnly(page, ndv, plaid, 'Remove Items', true, log);
	return operations;
}

/**
 * Get Items: no notice, no Preview Only; then Item → Terminate → Remove, where n8n's editor must
 * drop a Reason Code that Remove does not offer.
 */
async function walkThroughParameters(page, plaid, log) {
	const ndv = page.getByTestId('ndv');
	await select(page, ndv, 'operation', plaid.operation('user', 'getItems').name);
	await irreversibleNoticeShown(ndv, plaid, 'user', 'getItems', false);
	await offersPreviewOnly(page, ndv, plaid, 'Get Items', false, log);
	const droppedReason = await reasonCodeClearedOnRemove(page, ndv, plaid, log);
	await closePanel(page);
	return droppedReason;
}

/** Waits until the element stops moving (the panel slides in), so the screenshot shows it in place. */
async function settled(locator) {
	let last = '';
	for (let tries = 0; tries < 50; tries += 1) {
		const box = JSON.stringify(await locator.boundingBox());
		if (box === last) return;
		last = box;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('the node panel never stopped moving');
}

/** The icon must be the package's SVG, served by n8n and actually loaded by the browser. */
async function assertPackageIcon(icon, where) {
	await icon.waitFor();
	const { src, width } = await icon.evaluate((img) => ({ src: img.src, width: img.complete ? img.naturalWidth : 0 }));
	if (!PACKAGE_ICON.test(src) || width === 0) throw new Error(`${where}: the Plaid icon did not load from the package (src ${src}, width ${width})`);
}

/** What the page showed when a step failed: a screenshot and the test ids on it, for the log. */
async function recordFailure(page, failureShot, log) {
	try {
		await page.screenshot({ path: failureShot, timeout: 10_000 });
		const testIds = await page.locator('[data-test-id]').evaluateAll((elements) => [...new Set(elements.map((element) => element.getAttribute('data-test-id')))]);
		log(`editor failure at ${page.url()}: screenshot ${failureShot}; test ids on the page: ${testIds.join(', ')}`);
	} catch (error) {
		log(`could not record the editor failure: ${error.message}`);
	}
}
