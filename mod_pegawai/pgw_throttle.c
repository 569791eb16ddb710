/* The arithmetic of login throttling (ASVS 5.0 V6.3.1): a few free
 * failures, then delays that double up to a ceiling, then a wait until
 * the window ends. Guessing slows down with every failure, while an
 * employee who mistypes is never kept out for longer than the window.
 */
#include <limits.h>

#include "pgw_throttle.h"

static int window_over(const pgw_throttle_policy_t *pol,
                       const pgw_throttle_state_t *st, apr_int64_t now)
{
    return now >= st->window_start + pol->window;
}

apr_int64_t pgw_throttle_wait(const pgw_throttle_policy_t *pol,
                              const pgw_throttle_state_t *st, apr_int64_t now)
{
    if (window_over(pol, st, now) || st->blocked_until <= now) {
        return 0;
    }
    return st->blocked_until - now;
}

/* 2^(n - 1) seconds for the n-th failure beyond the free ones, capped at
 * max_delay; the cap is tested before shifting so that no shift is ever
 * wider than the type. */
static apr_int64_t throttle_delay(const pgw_throttle_policy_t *pol, int n)
{
    if (n > 31 || ((apr_int64_t)1 << (n - 1)) > pol->max_delay) {
        return pol->max_delay;
    }
    return (apr_int64_t)1 << (n - 1);
}

void pgw_throttle_fail(const pgw_throttle_policy_t *pol,
                       pgw_throttle_state_t *st, apr_int64_t now)
{
    int beyond_free;

    if (window_over(pol, st, now)) {
        st->failures = 0;
        st->window_start = now;
        st->blocked_until = 0;
    }
    if (st->failures < INT_MAX) {
        st->failures++;
    }
    if (st->failures >= pol->max_failures) {
        st->blocked_until = st->window_start + pol->window;
        return;
    }
    /* now is in whole seconds: a delay of d from second now must end at
     * now + d + 1, or an attempt late in the second would wait less
     * than d (a delay of 1 no time at all). */
    beyond_free = st->failures - pol->free_failures;
    if (beyond_free > 0) {
        st->blocked_until = now + throttle_delay(pol, beyond_free) + 1;
    }
}

apr_int64_t pgw_throttle_take(const pgw_throttle_policy_t *pol,
                              pgw_throttle_state_t *st, apr_int64_t now)
{
    apr_int64_t wait = pgw_throttle_wait(pol, st, now);

    if (wait > 0) {
        return wait;
    }
    pgw_throttle_fail(pol, st, now);
    return 0;
}
