/* Login throttling policy (ASVS 5.0 V6.3.1): pure arithmetic over the
 * state the database keeps per key, so that every Apache node sharing
 * one database applies the same limits.
 */
#ifndef PGW_THROTTLE_H
#define PGW_THROTTLE_H

#include <apr.h>

typedef struct pgw_throttle_policy_t {
    int free_failures; /* failures in a window before any delay */
    int max_delay;     /* seconds; delays double up to this */
    int max_failures;  /* failures in a window after which the key waits
                          for the window to end */
    int window;        /* seconds */
} pgw_throttle_policy_t;

typedef struct pgw_throttle_state_t {
    int failures;
    apr_int64_t window_start;
    apr_int64_t blocked_until;
} pgw_throttle_state_t;

/* Seconds to wait before the key may try again at now; 0 when it may. */
apr_int64_t pgw_throttle_wait(const pgw_throttle_policy_t *pol,
                              const pgw_throttle_state_t *st, apr_int64_t now);

/* The state after one more failure at now. */
void pgw_throttle_fail(const pgw_throttle_policy_t *pol,
                       pgw_throttle_state_t *st, apr_int64_t now);

/* An attempt at now, counted as a failure before its outcome is known,
 * so that attempts running side by side cannot all pass one state: the
 * seconds to wait (st unchanged) or 0 (st counts the attempt). */
apr_int64_t pgw_throttle_take(const pgw_throttle_policy_t *pol,
                              pgw_throttle_state_t *st, apr_int64_t now);

#endif
