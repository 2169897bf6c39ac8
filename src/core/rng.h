/* rng.h - deterministic random numbers for the demo data (splitmix64).
 *
 * The same seed gives the same numbers on every platform, so a demo
 * database made with --seed N is the same each time.  Not for secrets:
 * crypto/ has the random numbers for keys and tokens.
 */
#ifndef ZB_CORE_RNG_H
#define ZB_CORE_RNG_H

#include <stdint.h>

/* splitmix64's finaliser: x scrambled. */
static inline uint64_t zb_mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

typedef struct zb_rng {
	uint64_t s;
} zb_rng;

/* A stream for (seed, a, b). */
static inline zb_rng zb_rng_for(uint64_t seed, uint64_t a, uint64_t b)
{
	zb_rng r = {zb_mix64(seed ^ zb_mix64(a * 0x100000001B3ull ^ zb_mix64(b)))};
	return r;
}

static inline uint64_t zb_rng_next(zb_rng *r)
{
	r->s = zb_mix64(r->s);
	return r->s;
}

/* 0 .. n-1 (n > 0) */
static inline int zb_rng_below(zb_rng *r, int n)
{
	return (int)(zb_rng_next(r) % (uint64_t)n);
}

/* lo .. hi */
static inline int zb_rng_between(zb_rng *r, int lo, int hi)
{
	return lo + zb_rng_below(r, hi - lo + 1);
}

/* 1 with probability pct/100 */
static inline int zb_rng_chance(zb_rng *r, int pct)
{
	return zb_rng_below(r, 100) < pct;
}

#endif
