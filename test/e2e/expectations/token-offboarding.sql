-- The app's own tables for examples/token-offboarding.workflow.json, for a real PostgreSQL.
-- plaid_items: the Items the app linked with Plaid Link (no Plaid user), one row per Item, the access
-- token kept beside its item_id as Plaid advises. Seeded with the emulator's demo Items (its demo seed:
-- same item_id and access_token on every run): customer crm-1001 is the demo user Alice, crm-1002 Bob.
-- plaid_offboarding_audit: one row per Item the workflow tried to terminate, whatever the outcome.

DROP TABLE IF EXISTS plaid_offboarding_audit;
DROP TABLE IF EXISTS plaid_items;

CREATE TABLE plaid_items (
	item_id text PRIMARY KEY,
	customer_id text NOT NULL,
	access_token text NOT NULL,
	institution_name text
);

CREATE TABLE plaid_offboarding_audit (
	id serial PRIMARY KEY,
	customer_id text NOT NULL,
	item_id text NOT NULL,
	outcome text NOT NULL CHECK (outcome IN ('terminated', 'failed')),
	plaid_request_id text,
	error_code text,
	error text,
	recorded_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plaid_items (item_id, customer_id, access_token, institution_name) VALUES
	('PHsArdjOE7joJwTTXK98SIrr4bGgUy5AIlh4h', 'crm-1001', 'access-sandbox-613e1dd9-4026-44ac-a128-727c08e008be', 'First Platypus Bank'),
	('sXWxQ7rrzhBuGbr8niISO3IF7s8ZkQrjf9MnB', 'crm-1001', 'access-sandbox-fe84c44a-430d-4bf0-98f0-ce7d7d56b29a', 'Tattersall Federal Credit Union'),
	('20v6MY22gzJtDC35kR1772R69b74oRD4Wd4S0', 'crm-1001', 'access-sandbox-105d6233-7ba1-4fe4-b71b-e439a63ad28b', 'Houndstooth Bank'),
	('psuc0Kk8NnRVTOA9PhnF1sOoF0pL2ccZaCvdg', 'crm-1002', 'access-sandbox-5cf3c9f2-3eb8-448a-8f91-6945e0cb80cf', 'First Gingham Credit Union'),
	('cMxj9ooWrqpAj5RBPdsCNQFNnvXc3bXbAC1C7', 'crm-1002', 'access-sandbox-1af16104-c101-4cf0-8b31-3802382a004a', 'Tartan Bank');
