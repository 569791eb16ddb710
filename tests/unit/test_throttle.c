/* Unit tests of pgw_throttle.c: free failures, doubling delays, the
 * ceiling, the block to the end of the window, and the window reset. */
#include <stdlib.h>

#include <check.h>

#include "pgw_throttle.h"

/* 3 free failures, delays up to 60 s, blocked after 10 in 15 minutes. */
static const pgw_throttle_policy_t pol = {3, 60, 10, 900};

START_TEST(fresh_key_may_try)
{
    pgw_throttle_state_t st = {0, 0, 0};

    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1000000), 0);
}
END_TEST

START_TEST(free_failures_cost_nothing)
{
    pgw_throttle_state_t st = {0, 0, 0};
    int i;

    for (i = 1; i <= 3; i++) {
        pgw_throttle_fail(&pol, &st, 1000);
        ck_assert_int_eq(st.failures, i);
        ck_assert_int_eq(st.window_start, 1000);
        ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1000), 0);
    }
}
END_TEST

START_TEST(delays_double)
{
    static const apr_int64_t expect[] = {1, 2, 4, 8, 16, 32};
    pgw_throttle_state_t st = {0, 0, 0};
    apr_int64_t now = 1000;
    int i;

    for (i = 0; i < 3; i++) {
        pgw_throttle_fail(&pol, &st, now);
    }
    for (i = 0; i < 6; i++) {
        pgw_throttle_fail(&pol, &st, now);
        ck_assert_int_eq(st.failures, 4 + i);
        /* whole seconds: the block ends one second later */
        ck_assert_int_eq(st.blocked_until, now + expect[i] + 1);
        ck_assert_int_eq(pgw_throttle_wait(&pol, &st, now), expect[i] + 1);
        now += expect[i];
        ck_assert_int_eq(pgw_throttle_wait(&pol, &st, now), 1);
        now++;
        ck_assert_int_eq(pgw_throttle_wait(&pol, &st, now), 0);
    }
}
END_TEST

START_TEST(delay_ceiling)
{
    pgw_throttle_policy_t p = {0, 5, 1000, 86400};
    static const apr_int64_t expect[] = {1, 2, 4, 5, 5, 5};
    pgw_throttle_state_t st = {0, 0, 0};
    int i;

    for (i = 0; i < 6; i++) {
        pgw_throttle_fail(&p, &st, 5000);
        ck_assert_int_eq(pgw_throttle_wait(&p, &st, 5000), expect[i] + 1);
    }
    /* far beyond any shift width, still the ceiling */
    for (i = 0; i < 200; i++) {
        pgw_throttle_fail(&p, &st, 5000);
    }
    ck_assert_int_eq(st.failures, 206);
    ck_assert_int_eq(pgw_throttle_wait(&p, &st, 5000), 5 + 1);
}
END_TEST

START_TEST(max_failures_blocks_to_window_end)
{
    pgw_throttle_state_t st = {0, 0, 0};
    apr_int64_t now = 1000;
    int i;

    for (i = 0; i < 9; i++) {
        pgw_throttle_fail(&pol, &st, now);
        now += 40;
    }
    ck_assert_int_eq(st.blocked_until, 1320 + 32 + 1);
    pgw_throttle_fail(&pol, &st, 1400);
    ck_assert_int_eq(st.failures, 10);
    ck_assert_int_eq(st.blocked_until, 1900);
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1400), 500);
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1899), 1);
    /* more failures (a second node) keep the same end */
    pgw_throttle_fail(&pol, &st, 1500);
    ck_assert_int_eq(st.blocked_until, 1900);
}
END_TEST

START_TEST(window_end_resets)
{
    pgw_throttle_state_t st = {0, 0, 0};
    int i;

    for (i = 0; i < 10; i++) {
        pgw_throttle_fail(&pol, &st, 1000);
    }
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1899), 1);
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1900), 0);
    pgw_throttle_fail(&pol, &st, 1900);
    ck_assert_int_eq(st.failures, 1);
    ck_assert_int_eq(st.window_start, 1900);
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 1900), 0);
}
END_TEST

/* A delay that reaches past the window ends with the window. */
START_TEST(no_wait_after_window)
{
    pgw_throttle_policy_t p = {0, 600, 100, 60};
    pgw_throttle_state_t st = {0, 0, 0};
    int i;

    for (i = 0; i < 8; i++) {
        pgw_throttle_fail(&p, &st, 100);
    }
    ck_assert_int_eq(st.blocked_until, 100 + 128 + 1);
    ck_assert_int_eq(pgw_throttle_wait(&p, &st, 159), 128 + 1 - 59);
    ck_assert_int_eq(pgw_throttle_wait(&p, &st, 160), 0);
}
END_TEST

START_TEST(stored_state_from_database)
{
    /* a row as another node left it: 5 failures, blocked until 2010 */
    pgw_throttle_state_t st = {5, 1990, 2010};

    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 2000), 10);
    ck_assert_int_eq(pgw_throttle_wait(&pol, &st, 2010), 0);
    pgw_throttle_fail(&pol, &st, 2010);
    ck_assert_int_eq(st.failures, 6);
    ck_assert_int_eq(st.window_start, 1990);
    ck_assert_int_eq(st.blocked_until, 2010 + 4 + 1);
}
END_TEST

/* An attempt is counted when it is let in, and not when it is not. */
START_TEST(take_counts_only_what_it_lets_in)
{
    pgw_throttle_state_t st = {0, 0, 0};
    int i;

    for (i = 1; i <= 4; i++) {
        ck_assert_int_eq(pgw_throttle_take(&pol, &st, 1000), 0);
        ck_assert_int_eq(st.failures, i);
    }
    /* the fourth set the first delay, so a fifth at once waits */
    ck_assert_int_eq(pgw_throttle_take(&pol, &st, 1000), 2);
    ck_assert_int_eq(st.failures, 4);
    ck_assert_int_eq(pgw_throttle_take(&pol, &st, 1001), 1);
    ck_assert_int_eq(pgw_throttle_take(&pol, &st, 1002), 0);
    ck_assert_int_eq(st.failures, 5);
    ck_assert_int_eq(st.blocked_until, 1002 + 2 + 1);
}
END_TEST

static Suite *throttle_suite(void)
{
    Suite *s = suite_create("pgw_throttle");
    TCase *tc = tcase_create("policy");

    tcase_add_test(tc, fresh_key_may_try);
    tcase_add_test(tc, free_failures_cost_nothing);
    tcase_add_test(tc, delays_double);
    tcase_add_test(tc, delay_ceiling);
    tcase_add_test(tc, max_failures_blocks_to_window_end);
    tcase_add_test(tc, window_end_resets);
    tcase_add_test(tc, no_wait_after_window);
    tcase_add_test(tc, stored_state_from_database);
    tcase_add_test(tc, take_counts_only_what_it_lets_in);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(throttle_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
