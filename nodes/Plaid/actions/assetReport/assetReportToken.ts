import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { parseToken, type TokenKind } from '../../../shared/tokens';
import { parseRequiredString } from '../../helpers/parse';
import type { SingleTargetRemoval } from '../../removal/singleTarget';
import { hashOf } from '../../removal/workKeys';
import type { PlaidEndpoint } from '../../transport';

/** A token of an Asset Report or of one of its Audit Copies (a secret: it opens the report). */
export function reportTokenProperty(name: string, displayName: string, placeholder: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder,
		description: `${description} It is sent to Plaid only and never appears in the output or in errors`,
	};
}

/** Reads and checks a report token against the credential's environment (`assets-sandbox-…`, `a-production-…`). */
export function parseReportToken(value: unknown, kind: TokenKind, parameterName: string, environment: string | undefined): string {
	return parseToken(parseRequiredString(value, parameterName), kind, parameterName, environment);
}

/** What a preview shows of a report, from /asset_report/get or /asset_report/audit_copy/get. */
function describeReport(answer: IDataObject): IDataObject {
	const report = (answer.report ?? {}) as IDataObject;
	const items = Array.isArray(report.items) ? (report.items as IDataObject[]) : [];
	return {
		asset_report_id: report.asset_report_id ?? null,
		date_generated: report.date_generated ?? null,
		item_ids: items.map((item) => item.item_id).filter((id) => typeof id === 'string'),
	};
}

/**
 * The removal of a report or of one Audit Copy, by its token: previewed and verified with the read of
 * the same token, which Plaid then no longer knows. The output names the report only as a preview
 * read it; the token itself is never shown.
 */
export function reportRemoval(
	endpoint: PlaidEndpoint,
	read: PlaidEndpoint,
	field: 'asset_report_token' | 'audit_copy_token',
	token: string,
	notFoundCodes: readonly string[],
	targetName: string,
): SingleTargetRemoval {
	const body = { [field]: token };
	return {
		endpoint,
		workKey: hashOf(endpoint, token),
		targetKey: hashOf(endpoint, token),
		fields: {},
		body,
		notFoundCodes,
		targetName,
		previewRead: { endpoint: read, body, describe: describeReport },
		verifyRead: { endpoint: read, body, goneCodes: notFoundCodes },
	};
}
