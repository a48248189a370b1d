/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* The Check suites of promise-run's modules, one per module. */
#ifndef PROMISE_RUN_TEST_SUITES_H
#define PROMISE_RUN_TEST_SUITES_H

#include <check.h>

Suite *capture_suite(void);
Suite *check_wire_suite(void);
Suite *checks_suite(void);
Suite *cli_suite(void);
Suite *config_suite(void);
Suite *credentials_suite(void);
Suite *declared_suite(void);
Suite *env_suite(void);
Suite *escape_suite(void);
Suite *fsat_suite(void);
Suite *home_suite(void);
Suite *home_plugins_suite(void);
Suite *homes_suite(void);
Suite *identity_suite(void);
Suite *inline_checks_suite(void);
Suite *job_suite(void);
Suite *json_read_suite(void);
Suite *last_success_suite(void);
Suite *monotime_suite(void);
Suite *outq_suite(void);
Suite *plan_suite(void);
Suite *report_suite(void);
Suite *result_suite(void);
Suite *runner_suite(void);
Suite *scheduler_suite(void);
Suite *scan_suite(void);
Suite *settings_suite(void);
Suite *slapgrid_suite(void);
Suite *state_suite(void);
Suite *utf8_suite(void);
Suite *value_suite(void);

#endif
