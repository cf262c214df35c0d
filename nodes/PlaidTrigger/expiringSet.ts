/**
 * Keys remembered until a time of their own, at most `maxSize` of them: past that the key added
 * first is forgotten, so nothing a caller sends can grow it without bound. Time comes in as an
 * argument (milliseconds), so it can be tested with any clock.
 */
export class ExpiringSet {
	private readonly expiries = new Map<string, number>();

	constructor(readonly maxSize: number) {}

	has(key: string, nowMs: number): boolean {
		const expiresAt = this.expiries.get(key);
		if (expiresAt === undefined) return false;
		if (expiresAt > nowMs) return true;
		this.expiries.delete(key);
		return false;
	}

	add(key: string, expiresAtMs: number, nowMs: number): void {
		this.forgetExpired(nowMs);
		this.expiries.delete(key);
		this.expiries.set(key, expiresAtMs);
		for (const oldest of this.expiries.keys()) {
			if (this.expiries.size <= this.maxSize) break;
			this.expiries.delete(oldest);
		}
	}

	delete(key: string): void {
		this.expiries.delete(key);
	}

	get size(): number {
		return this.expiries.size;
	}

	// Keys are added with roughly increasing expiries, so the expired ones sit at the front:
	// dropping them from there keeps each add cheap.
	private forgetExpired(nowMs: number): void {
		for (const [key, expiresAt] of this.expiries) {
			if (expiresAt > nowMs) break;
			this.expiries.delete(key);
		}
	}
}
