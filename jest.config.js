/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	setupFiles: ['<rootDir>/test/harness/env.js'],
	// Fails any test after which a secret shows in an output, error or log (test/harness/secretHunt.js).
	setupFilesAfterEnv: ['<rootDir>/test/harness/secretGuard.js'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/harness/summaryReporter.js'],
};
