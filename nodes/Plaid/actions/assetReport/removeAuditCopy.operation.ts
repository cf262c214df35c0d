import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { credentialEnvironmentOf, type PlaidEndpoint } from '../../transport';
import { irreversibleNotice } from '../common/irreversibleNotice';
import type { Irreversible, OperationOption } from '../operation';
import { parseReportToken, reportRemoval, reportTokenProperty } from './assetReportToken';

export const option: OperationOption = {
	name: 'Remove Audit Copy',
	value: 'removeAuditCopy',
	action: 'Remove an audit copy of an asset report',
	description: 'Revoke one Audit Copy of an Asset Report, e.g. the one shared with a lender; the report and its other copies stay. Cannot be undone.',
};

export const endpoints: PlaidEndpoint[] = ['/asset_report/audit_copy/remove', '/asset_report/audit_copy/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid revokes the Audit Copy: whoever it was shared with can no longer read the report through it.'),
	reportTokenProperty('auditCopyToken', 'Audit Copy Token', 'e.g. a-sandbox-3TAU2CWVYBDVRHUCAAAI27ULU4', 'The audit_copy_token of the copy, from /asset_report/audit_copy/create.'),
];

/** Plaid's answer for an Audit Copy it does not know (removed, its report removed, never made, mistyped). */
const UNKNOWN_COPY_CODES = ['INVALID_AUDIT_COPY_TOKEN'];

/** Revokes one Audit Copy with /asset_report/audit_copy/remove. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const token = parseReportToken(this.getNodeParameter('auditCopyToken', i, ''), 'auditCopy', 'Audit Copy Token', credentialEnvironmentOf(this));
	const options = readIrreversibleOptions.call(this, i);
	return await removeSingleTarget.call(
		this,
		i,
		reportRemoval('/asset_report/audit_copy/remove', '/asset_report/audit_copy/get', 'audit_copy_token', token, UNKNOWN_COPY_CODES, 'Audit Copy token'),
		options,
	);
}
