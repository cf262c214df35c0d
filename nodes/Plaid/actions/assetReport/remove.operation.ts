import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { credentialEnvironmentOf, type PlaidEndpoint } from '../../transport';
import { irreversibleNotice } from '../common/irreversibleNotice';
import type { Irreversible, OperationOption } from '../operation';
import { parseReportToken, reportRemoval, reportTokenProperty } from './assetReportToken';

export const option: OperationOption = {
	name: 'Remove',
	value: 'remove',
	action: 'Remove an asset report',
	description:
		'Remove an Asset Report and every Audit Copy of it: removing a customer’s Items leaves their Asset Reports accessible until they are removed this way. Cannot be undone.',
};

export const endpoints: PlaidEndpoint[] = ['/asset_report/remove', '/asset_report/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid removes the Asset Report; its token and every Audit Copy shared from it stop working.'),
	reportTokenProperty('assetReportToken', 'Asset Report Token', 'e.g. assets-sandbox-6f12f5bb-22dd-4d0b-8a5e-6b2a8f1e0b6e', 'The asset_report_token of the report, from /asset_report/create.'),
];

/**
 * Plaid answers a report token it does not know with a code its documents do not name; the ones it
 * uses for a missing report are read as `not_found`, which proves only that nothing was removed.
 */
export const UNKNOWN_REPORT_CODES = ['INVALID_ASSET_REPORT_TOKEN', 'ASSET_REPORT_NOT_FOUND', 'INVALID_PARENT'];

/** Removes one Asset Report with /asset_report/remove; Plaid invalidates its Audit Copies with it. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const token = parseReportToken(this.getNodeParameter('assetReportToken', i, ''), 'assetReport', 'Asset Report Token', credentialEnvironmentOf(this));
	const options = readIrreversibleOptions.call(this, i);
	return await removeSingleTarget.call(
		this,
		i,
		reportRemoval('/asset_report/remove', '/asset_report/get', 'asset_report_token', token, UNKNOWN_REPORT_CODES, 'Asset Report token'),
		options,
	);
}
