// n8n loads this package's nodes and credentials from the `n8n` block of package.json,
// not from this entry point; it exists so that `require('n8n-nodes-plaid')` resolves.
module.exports = {};
