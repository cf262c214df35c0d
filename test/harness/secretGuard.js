// @ts-check
/**
 * Suite-wide secret guard (jest setupFilesAfterEnv): after every test, whatever the engine
 * harness recorded (outputs, errors, reported errors, logs, credential test answers; see
 * secretHunt.js) is searched for the credential secret, gateway tokens and Plaid's tokens (access,
 * user, public, Asset Report, Audit Copy). A hit fails that test, naming where it showed up.
 */
const { takeLeaks } = require('./secretHunt');

function failOnLeaks() {
	const leaks = takeLeaks();
	if (leaks.length === 0) return;
	const lines = [...new Set(leaks.map(({ where, secret }) => `  ${secret.slice(0, 16)}… in ${where}`))];
	throw new Error(`Secret guard: a secret appeared where a user or operator can see it:\n${lines.join('\n')}`);
}

afterEach(failOnLeaks);
afterAll(failOnLeaks);
