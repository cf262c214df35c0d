import type { IDataObject } from 'n8n-workflow';

import { InvalidInputError } from '../../shared/InvalidInputError';
import { parseOptionalString } from './fields';
import { describeType } from './parse';

/** The identity fields of User → Create, as the node's "Additional Fields" collection holds them. */
export interface IdentityFieldValues {
	givenName?: unknown;
	familyName?: unknown;
	dateOfBirth?: unknown;
	email?: unknown;
	phoneNumber?: unknown;
	street?: unknown;
	street2?: unknown;
	city?: unknown;
	region?: unknown;
	postalCode?: unknown;
	country?: unknown;
}

const DATE_OF_BIRTH = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Plaid takes dates of birth as yyyy-mm-dd; a date that does not exist is refused here. */
export function parseDateOfBirth(value: unknown): string | undefined {
	const text = parseOptionalString(value, 'Date of Birth');
	if (text === undefined) return undefined;
	const match = DATE_OF_BIRTH.exec(text);
	const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
	if (!match || !date || date.toISOString().slice(0, 10) !== text) {
		throw new InvalidInputError('Date of Birth: must be a real date written yyyy-mm-dd, e.g. 1990-04-17');
	}
	return text;
}

/** A two-letter ISO 3166-1 country code, upper-cased (Plaid's addresses use them). */
export function parseCountryCode(value: unknown): string | undefined {
	const text = parseOptionalString(value, 'Country');
	if (text === undefined) return undefined;
	if (!/^[A-Za-z]{2}$/.test(text)) {
		throw new InvalidInputError('Country: must be a two-letter country code, e.g. US');
	}
	return text.toUpperCase();
}

function parseEmail(value: unknown): string | undefined {
	const email = parseOptionalString(value, 'Email');
	if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) {
		throw new InvalidInputError('Email: not an email address');
	}
	return email;
}

function buildName(fields: IdentityFieldValues): IDataObject | undefined {
	const given = parseOptionalString(fields.givenName, 'Given Name');
	const family = parseOptionalString(fields.familyName, 'Family Name');
	if (given === undefined && family === undefined) return undefined;
	// Plaid's identity name requires both parts.
	if (given === undefined) throw new InvalidInputError('Given Name: required when Family Name is given');
	if (family === undefined) throw new InvalidInputError('Family Name: required when Given Name is given');
	return { given_name: given, family_name: family };
}

function buildAddress(fields: IdentityFieldValues): IDataObject | undefined {
	const parts: IDataObject = {
		street_1: parseOptionalString(fields.street, 'Street'),
		street_2: parseOptionalString(fields.street2, 'Street Line 2'),
		city: parseOptionalString(fields.city, 'City'),
		region: parseOptionalString(fields.region, 'Region'),
		postal_code: parseOptionalString(fields.postalCode, 'Postal Code'),
	};
	const country = parseCountryCode(fields.country);
	const given = Object.entries(parts).filter(([, part]) => part !== undefined);
	if (given.length === 0 && country === undefined) return undefined;
	// Plaid's identity address requires a country.
	if (country === undefined) throw new InvalidInputError('Country: required when an address field is given');
	return { ...Object.fromEntries(given), country, primary: true };
}

/**
 * Builds Plaid's `identity` object (spec ClientUserIdentity) from the node's fields, or
 * undefined when none is given. The single email, phone number and address are the primary ones.
 */
export function buildClientUserIdentity(fields: unknown): IDataObject | undefined {
	if (fields === undefined || fields === null) return undefined;
	if (typeof fields !== 'object' || Array.isArray(fields)) {
		throw new InvalidInputError(`Additional Fields: expected a collection, got ${describeType(fields)}`);
	}
	const values = fields as IdentityFieldValues;
	const identity: IDataObject = {};
	const name = buildName(values);
	if (name) identity.name = name;
	const dateOfBirth = parseDateOfBirth(values.dateOfBirth);
	if (dateOfBirth) identity.date_of_birth = dateOfBirth;
	const email = parseEmail(values.email);
	if (email) identity.emails = [{ data: email, primary: true }];
	const phone = parseOptionalString(values.phoneNumber, 'Phone Number');
	if (phone) identity.phone_numbers = [{ data: phone, primary: true }];
	const address = buildAddress(values);
	if (address) identity.addresses = [address];
	return Object.keys(identity).length > 0 ? identity : undefined;
}
