// The package's entry (package.json "main"): the node, the trigger and the credential, as built into
// dist/. n8n itself loads them through the "n8n" block of package.json; this serves code that
// requires the package by name.
'use strict';

const { Plaid } = require('./dist/nodes/Plaid/Plaid.node');
const { PlaidTrigger } = require('./dist/nodes/PlaidTrigger/PlaidTrigger.node');
const { PlaidApi } = require('./dist/credentials/PlaidApi.credentials');

module.exports = { Plaid, PlaidTrigger, PlaidApi };
