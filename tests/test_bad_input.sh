#!/usr/bin/env bash
# Bad-input suite for the thirst CLI.
#
# usage: bash tests/test_bad_input.sh THIRST_BINARY REPO_ROOT
#
# Every case feeds thirst one bad scenario file (tests/bad_input/*.json) or one bad flag (on the
# valid priors/gpt3-training-us.json) and checks ALL of:
#   - no crash (exit code < 128) and no hang;
#   - exit code exactly 2 (usage or scenario error);
#   - stdout is empty;
#   - stderr is exactly one newline-terminated line;
#   - that line contains each expected text given for the case (the JSON path or the flag, and
#     for scenario files the file's name);
#   - nothing was written: scenario cases run `thirst run FILE --json OUT --csv OUT2` with OUT
#     and OUT2 in a fresh empty directory, which is also the working directory, and that
#     directory must still be empty afterwards (flag cases pass the same --json/--csv).
# A few control cases first check that valid input is accepted and that --json/--csv do write
# their files, so an empty directory above means something.
#
# Each case prints "ok NAME: MESSAGE" or "FAIL NAME: PROBLEMS" and the suite goes on after a
# failure; the last line is "N passed, M failed" and the exit status is 1 if M > 0.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 THIRST_BINARY REPO_ROOT" >&2
    exit 2
fi
bin_dir=$(cd "$(dirname "$1")" && pwd) || exit 2
bin="$bin_dir/$(basename "$1")"
root=$(cd "$2" && pwd) || exit 2
if [ ! -x "$bin" ]; then
    echo "$0: not an executable: $bin" >&2
    exit 2
fi

dir="$root/tests/bad_input"          # the bad scenario files
good="$root/priors/gpt3-training-us.json"
work=$(mktemp -d "${TMPDIR:-/tmp}/thirst-bad-input.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
O="$work/out"                        # fresh, empty output (and working) directory per case
gen="$work/gen"                      # inputs generated at run time
mkdir -p "$gen"
stdout_file="$work/stdout"
stderr_file="$work/stderr"
limit=120                            # seconds before a case counts as hung

passed=0
failed=0

# Run "$bin" with the given arguments inside a fresh $O; sets rc.
run_thirst() {
    rm -rf "$O"
    mkdir "$O"
    rc=0
    (cd "$O" && exec timeout "$limit" "$bin" "$@" </dev/null >"$stdout_file" 2>"$stderr_file") || rc=$?
}

# Record a result: report NAME PROBLEMS DETAIL
report() {
    local name=$1 problems=$2 detail=$3
    if [ -z "$problems" ]; then
        passed=$((passed + 1))
        echo "ok   $name: $detail"
    else
        failed=$((failed + 1))
        echo "FAIL $name: ${problems%; }"
        if [ -s "$stderr_file" ]; then
            echo "     stderr (exit $rc):"
            awk '{ print "     | " $0 }' "$stderr_file"
        else
            echo "     stderr (exit $rc): (empty)"
        fi
        if [ -s "$stdout_file" ]; then
            echo "     stdout:"
            head -n 5 "$stdout_file" | awk '{ print "     | " $0 }'
        fi
    fi
}

# expect_reject NAME 'NEEDLE1|NEEDLE2...' ARGS...: thirst ARGS must be rejected cleanly.
expect_reject() {
    local name=$1 needles=$2
    shift 2
    run_thirst "$@"
    local problems="" line="" lines needle
    if [ "$rc" -eq 124 ]; then
        problems+="hung (killed after ${limit}s); "
    elif [ "$rc" -ge 128 ]; then
        problems+="crashed (exit $rc, signal $((rc - 128))); "
    elif [ "$rc" -ne 2 ]; then
        problems+="exit code $rc, expected 2; "
    fi
    if [ -s "$stdout_file" ]; then
        problems+="stdout not empty ($(wc -c <"$stdout_file") bytes); "
    fi
    lines=$(awk 'END { print NR }' "$stderr_file")
    if [ "$lines" -ne 1 ]; then
        problems+="stderr has $lines lines, expected exactly 1; "
    elif [ -n "$(tail -c 1 "$stderr_file")" ]; then
        problems+="stderr line not newline-terminated; "
    fi
    line=$(head -n 1 "$stderr_file")
    if [ -z "$line" ] && [ "$lines" -ge 1 ]; then
        problems+="stderr line is empty; "
    fi
    local IFS='|'
    for needle in $needles; do
        # Look in the whole of stderr, so a multi-line message is reported once, above.
        if ! grep -qF -- "$needle" "$stderr_file"; then
            problems+="message lacks '$needle'; "
        fi
    done
    unset IFS
    local created
    created=$(cd "$O" && find . -mindepth 1 | sed 's|^\./||' | tr '\n' ' ')
    if [ -n "$created" ]; then
        problems+="created files: ${created% }; "
    fi
    report "$name" "$problems" "$line"
}

# scenario_case NAME FILE 'NEEDLES': reject tests/bad_input/FILE on `run` with --json/--csv;
# the message must also name the file.
scenario_case() {
    local name=$1 file=$2 needles=$3
    if [ ! -f "$dir/$file" ]; then
        rc=-1
        : >"$stdout_file"
        : >"$stderr_file"
        report "$name" "missing test input $dir/$file" ""
        return
    fi
    expect_reject "$name" "$file|$needles" run "$dir/$file" --json "$O/out.json" --csv "$O/out.csv"
}

# run_failure_case NAME FILE 'NEEDLES': as scenario_case, for a file that loads but whose draws
# fail (a non-finite output): with --quiet, which silences auto's note about the backend it took.
run_failure_case() {
    local name=$1 file=$2 needles=$3
    expect_reject "$name" "$file|$needles" run "$dir/$file" --quiet --json "$O/out.json" \
        --csv "$O/out.csv"
}

# flag_case NAME 'NEEDLES' FLAGS...: reject `run` on the valid scenario with FLAGS.
flag_case() {
    local name=$1 needles=$2
    shift 2
    expect_reject "$name" "$needles" run "$good" --json "$O/out.json" --csv "$O/out.csv" "$@"
}

# expect_ok NAME ARGS...: a control; thirst ARGS must succeed with empty stderr.
expect_ok() {
    local name=$1
    shift
    run_thirst "$@"
    local problems=""
    [ "$rc" -eq 0 ] || problems+="exit code $rc, expected 0; "
    [ -s "$stdout_file" ] || problems+="stdout empty; "
    [ -s "$stderr_file" ] && problems+="stderr not empty; "
    report "$name" "$problems" "exit 0"
}

echo "# thirst bad-input suite: $bin"

# ---------------------------------------------------------------- controls (valid input)
expect_ok control_reference_validates validate "$good"
expect_ok control_base_validates validate "$dir/control_valid.json"
# --set NAME=OPTION on options without "weight" (0.1 leaked the weight it added: a
# LeakSanitizer failure in the sanitized run of this suite).
expect_ok control_set_option_without_weight point "$dir/control_group_choice.json" --set site=B
# A choice over several parameters names its point by an option's name.
expect_ok control_set_group_point point "$dir/control_group_choice.json" --set site.point=B
run_thirst run --backend cpu "$dir/control_valid.json" --draws 1000 --threads 1 --quiet \
    --json "$O/out.json" --csv "$O/out.csv"
problems=""
[ "$rc" -eq 0 ] || problems+="exit code $rc, expected 0; "
[ -s "$O/out.json" ] || problems+="--json wrote no file; "
[ -s "$O/out.csv" ] || problems+="--csv wrote no file; "
report control_run_writes_outputs "$problems" "exit 0, wrote out.json and out.csv"
# rqmc's valid paths under the sanitizers too (the Sobol words' first column read words[-1]).
expect_ok control_rqmc_run run "$good" --backend cpu --sampler rqmc --draws 131072 --threads 2 \
    --quiet --json "$O/out.json"
expect_ok control_rqmc_adaptive run "$good" --backend cpu --sampler rqmc --rel-error 1e-3 \
    --replicates 12 --threads 2 --quiet --json "$O/out.json"
expect_ok control_rqmc_sensitivity sensitivity "$good" --backend cpu --sampler rqmc \
    --base-draws 16384 --threads 2 --quiet --json "$O/out.json"
expect_ok control_rqmc_draws draws "$good" --backend cpu --sampler rqmc --count 100

# ---------------------------------------------------------------- malformed files
scenario_case malformed_json       malformed_json.json   'malformed_json.json:4:3:'
scenario_case truncated_json       truncated_json.json   'truncated_json.json:6:1:'
scenario_case nan_literal          nan_literal.json      'nan_literal.json:7:50:'
scenario_case empty_file           empty_file.json       'empty_file.json:1:1:'
scenario_case top_level_array      top_level_array.json  'top level'

# ---------------------------------------------------------------- names: suggestions
scenario_case unknown_dist         unknown_dist.json     "params.pue.dist|did you mean 'uniform'"
scenario_case unknown_param        unknown_param.json    "params.carbon_intensty|did you mean 'carbon_intensity'"
scenario_case unknown_param_transposed unknown_param_transposed.json "params.peu|did you mean 'pue'"
scenario_case unknown_prior_field  unknown_prior_field.json "params.carbon_intensity.meen|did you mean 'mean'"
scenario_case unknown_top_field    unknown_top_field.json "drwas|did you mean 'draws'"

# ---------------------------------------------------------------- missing fields
scenario_case missing_pue          missing_pue.json      'params:|"pue"'
scenario_case missing_prior_value  missing_prior_value.json 'params.accelerators|"value"'
scenario_case missing_dist         missing_dist.json     'params.accelerator_kw|"dist"'
scenario_case energy_missing_basis energy_missing_basis.json 'params.energy|"basis"'
scenario_case energy_bad_basis     energy_bad_basis.json 'params.energy.basis'

# ---------------------------------------------------------------- distribution parameters
scenario_case sd_zero              sd_zero.json          'params.pue.sd'
scenario_case sd_negative          sd_negative.json      'params.accelerator_kw.sd'
scenario_case gsd_not_above_one    gsd_not_above_one.json 'params.accelerator_kw.gsd'

# Formulas (DESIGN.md section 9): syntax and names, each with the JSON path and the column.
scenario_case formula_unknown_name formula_unknown_name.json "formulas.wh_per_query.formula: column 20|did you mean 'tokens_per_query'"
scenario_case formula_unused_param formula_unused_param.json 'params.extra_factor|no formula uses it'
scenario_case formula_cycle formula_cycle.json 'formulas.a|a cycle of formulas: a -> b -> a'
scenario_case formula_unbalanced formula_unbalanced.json "formulas.wh_per_query.formula: column 44|to close the '(' at column 1"
scenario_case formula_extra_paren formula_extra_paren.json "formulas.wh_per_query.formula: column 36|no '(' is open"
scenario_case formula_power_stars formula_power_stars.json 'formulas.wh_per_query.formula: column 18|a^b'
scenario_case formula_single_equals formula_single_equals.json 'formulas.wh_per_query.formula: column 18|=='
scenario_case formula_empty formula_empty.json 'formulas.wh_per_query.formula|empty formula'
scenario_case formula_too_long formula_too_long.json 'formulas.wh_per_query.formula|at most 1000'
scenario_case formula_arity formula_arity.json 'formulas.wh_per_query.formula: column 1|min takes 2 arguments, not 1'
scenario_case formula_unknown_function formula_unknown_function.json "formulas.wh_per_query.formula: column 1|did you mean 'sqrt'"
scenario_case formula_function_as_name formula_function_as_name.json 'formulas.wh_per_query.formula: column 1|write exp(...)'
scenario_case formula_nan_constant formula_nan_constant.json 'formulas.wh_per_query.formula: column 39|not a number'
run_failure_case formula_infinite_constant formula_infinite_constant.json 'non-finite it_energy_wh|the first is draw 0'
scenario_case formula_number_range formula_number_range.json 'formulas.wh_per_query.formula: column 39|outside the float range'
scenario_case formula_not_string formula_not_string.json 'formulas.wh_per_query.formula|as a string'
scenario_case formulas_not_object formulas_not_object.json 'formulas:|got an array'
scenario_case formulas_empty_object formulas_empty_object.json 'formulas:|an empty object'
scenario_case outputs_not_object outputs_not_object.json 'outputs:|got a string'
scenario_case output_missing_formula output_missing_formula.json 'outputs.water_per_query|missing "formula"'
scenario_case output_unknown_field output_unknown_field.json "outputs.water_per_1k_tokens_ml.units|did you mean 'unit'"
scenario_case output_named_input output_named_input.json 'outputs.pue|also a parameter'
scenario_case formula_named_function formula_named_function.json 'formulas.exp|is a function'
scenario_case formula_named_param formula_named_param.json 'formulas.tokens_per_query|also a parameter'
scenario_case formula_bad_name formula_bad_name.json "formulas.2nd_value|a letter or '_'"
scenario_case formula_before_model_uses_output formula_before_model_uses_output.json "formulas.wh_per_query.formula: column 1|model's output 'water_offsite_ml'"
scenario_case formula_input_not_given formula_input_not_given.json "outputs.cost.formula: column 1|'price' is not given"
scenario_case formula_other_workload_output formula_other_workload_output.json "outputs.carbon.formula: column 1|unknown name 'carbon_kg'"
scenario_case formula_model_without_outputs formula_model_without_outputs.json 'outputs:|needs outputs of its own'
scenario_case formula_model_with_workload formula_model_with_workload.json 'model:|"workload"'
scenario_case formula_param_named_function formula_param_named_function.json 'params.max|is a function'
scenario_case formula_param_choice formula_param_choice.json 'params.region_factor|choice'
scenario_case formula_self_reference formula_self_reference.json 'formulas.scale: column 1|cannot use itself'
run_failure_case formula_nonfinite_draws formula_nonfinite_draws.json 'non-finite bad|the first is draw 1|--first 1 --count 1'
scenario_case formula_too_deep formula_too_deep.json 'formulas.wh_per_query.formula: column 49|nested too deeply'
scenario_case formula_two_names formula_two_names.json "formulas.wh_per_query.formula: column 18|unexpected 'tokens_per_query'"
scenario_case formula_missing_basis formula_missing_basis.json 'formulas.wh_per_query|needs a "basis"'
scenario_case formula_bad_basis formula_bad_basis.json "formulas.wh_per_query.basis|got 'server'"
scenario_case formula_basis_not_energy formula_basis_not_energy.json 'formulas.scale.basis|only a formula that feeds energy'
scenario_case formula_object_unknown_field formula_object_unknown_field.json "formulas.wh_per_query.bases|did you mean 'basis'"
scenario_case formula_unused formula_unused.json "formulas.carbon_intensty|nothing uses this formula|did you mean the model input 'carbon_intensity'"
scenario_case formula_with_benchmark formula_with_benchmark.json 'outputs.y2.formula|a benchmark model takes no formulas'
scenario_case formula_model_unused_param formula_model_unused_param.json 'params.carbon_intensity|no formula uses it'
scenario_case formula_model_coefficient formula_model_coefficient.json 'a:|takes no coefficients'
scenario_case formula_feeds_other_workload formula_feeds_other_workload.json 'formulas.accelerators|a training input in an inference scenario'
scenario_case formula_fed_constant_domain formula_fed_constant_domain.json 'formulas.pue|pue must be >= 1'
scenario_case low_ge_high          low_ge_high.json      'params.pue.high'
scenario_case low_equals_high      low_equals_high.json  'params.hours.high'
scenario_case p5_ge_p95            p5_ge_p95.json        'params.wue_onsite.p95'
scenario_case single_percentile    single_percentile.json 'params.wue_onsite.p5'
scenario_case mode_outside         mode_outside.json     'params.hours.mode'
scenario_case pert_mode_below_low  pert_mode_below_low.json 'params.hours.mode'
scenario_case choice_weight_negative choice_weight_negative.json 'params.pue.options[1].weight'
scenario_case choice_weights_zero  choice_weights_zero.json 'params.pue.options'

# ---------------------------------------------------------------- physical domains
scenario_case pue_fixed_below_one  pue_fixed_below_one.json 'params.pue'
scenario_case pue_uniform_below_one pue_uniform_below_one.json 'params.pue'
scenario_case pue_normal_untruncated pue_normal_untruncated.json 'params.pue|unbounded below'
scenario_case energy_negative      energy_negative.json  'params.energy'
scenario_case evaporation_fraction_above_one evaporation_fraction_above_one.json 'params.evaporation_fraction'

# ---------------------------------------------------------------- types, numbers, units
scenario_case string_for_number    string_for_number.json 'params.pue.low'
scenario_case huge_number          huge_number.json      'params.pue.high'
scenario_case unit_mismatch        unit_mismatch.json    "params.accelerator_kw.unit|'kWh'"
scenario_case newline_in_unit      newline_in_unit.json  'params.accelerator_kw.unit'
scenario_case workload_unknown     workload_unknown.json "workload|'finetuning'"
scenario_case quantile_out_of_range quantile_out_of_range.json 'report.quantiles[2]'

# ---------------------------------------------------------------- draws and seed in the file
scenario_case draws_zero           draws_zero.json       ': draws:'
scenario_case draws_overflow       draws_overflow.json   ': draws:'
scenario_case draws_fractional     draws_fractional.json ': draws:'
scenario_case seed_negative        seed_negative.json    ': seed:'

# ---------------------------------------------------------------- duplicate keys
scenario_case duplicate_param      duplicate_param.json  'params.pue|duplicate'
scenario_case duplicate_field      duplicate_field.json  'params.pue.low|duplicate'
scenario_case duplicate_top_key    duplicate_top_key.json 'draws|duplicate'

# ---------------------------------------------------------------- numbers, weights, text (audit of 0.1)
scenario_case choice_weights_overflow choice_weights_overflow.json 'params.pue.options|largest double'
scenario_case choice_weight_below_resolution choice_weight_below_resolution.json 'params.pue.options[1].weight|2^-23'
scenario_case seed_above_uint64    seed_above_uint64.json ': seed:|18446744073709551616'
scenario_case number_leading_zero  number_leading_zero.json "params.pue.low|'01.1'"
scenario_case number_double_underflow number_double_underflow.json "params.pue.point|'1e-400'|too small"
scenario_case number_float_underflow number_float_underflow.json 'params.accelerator_kw.value|float range'
scenario_case number_float_overflow number_float_overflow.json 'params.pue.high|float range'
scenario_case nul_escape_in_unit   nul_escape_in_unit.json 'params.pue.unit|\u0000'
scenario_case nul_escape_in_key    nul_escape_in_key.json 'params: a key|\u0000'
scenario_case raw_tab_in_string    raw_tab_in_string.json 'params.pue.source|control character'
printf '{"scenario": "x", "title": "caf\xe9", "workload": "training", "params": {}}\n' \
    >"$gen/invalid_utf8_title.json"
expect_reject invalid_utf8_title 'invalid_utf8_title.json|title|invalid UTF-8|0xe9' \
    run "$gen/invalid_utf8_title.json" --json "$O/out.json" --csv "$O/out.csv"
printf '{"scenario": "x", "workload": "training", "params": {"pue": {"dist": "fixed", "value": 1.1, "source": "\xed\xa0\x80"}}}\n' \
    >"$gen/surrogate_utf8.json"
expect_reject surrogate_in_utf8 'surrogate_utf8.json|params.pue.source|invalid UTF-8' \
    run "$gen/surrogate_utf8.json" --json "$O/out.json" --csv "$O/out.csv"
# 150,000 duplicate keys (1.8 MB): rejected in well under a second (0.1 took minutes: the
# duplicate check compared every pair of keys).
python3 - "$gen/many_keys.json" <<'PY'
import sys
keys = ", ".join('"title": "t"' for _ in range(150000))
open(sys.argv[1], "w").write('{"scenario": "x", ' + keys + '}\n')
PY
limit=10
expect_reject many_duplicate_keys 'many_keys.json|title|duplicate' \
    run "$gen/many_keys.json" --json "$O/out.json" --csv "$O/out.csv"
limit=120

# ---------------------------------------------------------------- unreadable files
printf '{\n  "scenario": "nul-byte",\n  "workload": "training"\0\n}\n' >"$gen/nul_byte.json"
expect_reject nul_byte 'nul_byte.json' \
    run "$gen/nul_byte.json" --json "$O/out.json" --csv "$O/out.csv"
expect_reject missing_file 'does_not_exist.json' \
    run "$gen/does_not_exist.json" --json "$O/out.json" --csv "$O/out.csv"
mkdir -p "$gen/a_directory.json"
expect_reject directory_as_file 'a_directory.json' \
    run "$gen/a_directory.json" --json "$O/out.json" --csv "$O/out.csv"
if [ "$(id -u)" -ne 0 ]; then
    # root reads any file, so this case only means something for other users.
    cp "$good" "$gen/no_permission.json"
    chmod 000 "$gen/no_permission.json"
    expect_reject no_permission 'no_permission.json' \
        run "$gen/no_permission.json" --json "$O/out.json" --csv "$O/out.csv"
fi

# ---------------------------------------------------------------- flags
flag_case draws_flag_zero          "--draws|'0'"        --draws 0
flag_case draws_flag_overflow      "--draws|'1e30'"     --draws 1e30
flag_case draws_flag_not_number    "--draws|'abc'"      --draws abc
flag_case draws_flag_fractional    "--draws|'1.5'"      --draws 1.5
flag_case draws_flag_negative      "--draws|'-5'"       --draws -5
flag_case draws_flag_no_value      '--draws'            --draws
flag_case draws_flag_newline       '--draws'            --draws=$'1\n0'
flag_case seed_flag_negative       "--seed|'-1'"        --seed -1
flag_case seed_flag_overflow       "--seed|'18446744073709551616'" --seed 18446744073709551616
flag_case threads_flag_zero        "--threads|'0'"      --threads 0
flag_case threads_flag_too_many    "--threads|'1025'"   --threads 1025
flag_case threads_flag_not_number  "--threads|'abc'"    --threads abc
flag_case unknown_flag             "--draw|did you mean '--draws'" --draw 1000
flag_case unknown_flag_no_suggestion '--frobnicate'     --frobnicate
flag_case quiet_flag_with_value    '--quiet'            --quiet=yes
flag_case json_same_as_csv         '--csv'              --csv "$O/out.json"
flag_case rel_error_too_big        "--rel-error|'2'"    --rel-error 2
flag_case rel_error_not_number     "--rel-error|'x'"    --rel-error x
flag_case abs_error_negative       "--abs-error|'-1'"   --abs-error -1
flag_case max_draws_not_adaptive   '--max-draws'        --max-draws 1e6
flag_case draws_with_adaptive      '--draws|--rel-error' --draws 1e6 --rel-error 1e-2
flag_case dump_with_adaptive       '--dump'             --dump "$O/draws.npy" --rel-error 1e-2
flag_case dump_with_cuda           '--dump|--backend'   --dump "$O/draws.npy" --backend cuda
flag_case dump_over_limit          '--dump|GiB'         --draws 1e9 --dump "$O/draws.npy"
flag_case backend_unknown          "--backend|'gpu'"    --backend gpu
flag_case device_negative          "--device|'-1'"      --device -1

# y = sin x1 has mean 0: a relative target is refused (0.1 ran on to --max-draws 1e10).
expect_reject rel_error_mean_zero '--rel-error|mean of y|--abs-error' \
    run "$dir/rel_error_mean_zero.json" --rel-error 0.01 --quiet --json "$O/out.json" --csv "$O/out.csv"

# ---------------------------------------------------------------- benchmark models
scenario_case benchmark_unknown_model benchmark_unknown_model.json 'model|ishigamy'
scenario_case benchmark_extra_param   benchmark_extra_param.json   'params.x4'
scenario_case benchmark_with_workload benchmark_with_workload.json 'model|workload'
scenario_case gfunction_negative_a    gfunction_negative_a.json    'a[0]'
scenario_case x_param_in_footprint    x_param_in_footprint.json    'params.x1'

# ---------------------------------------------------------------- --set overrides
flag_case set_unknown_parameter    "--set|'peu'|did you mean 'pue'" --set peu=1.2
flag_case set_no_equals            '--set|NAME=VALUE'   --set pue
flag_case set_not_a_number         '--set|number'       --set pue=high
flag_case set_field_invalid        'params.pue.high'    --set pue.high=0.9
flag_case set_text_after_number    "--set hours=14.8d|params.hours|'14.8d'" --set hours=14.8d
flag_case set_unit_after_number    "--set accelerator_kw=400W|'400W'" --set accelerator_kw=400W
flag_case set_field_text_after_number "params.pue.high|'1.3x'" --set pue.high=1.3x
flag_case set_field_overflow       "params.pue.high|too large" --set pue.high=1e999
flag_case set_field_bad_json       "params.pue.options" --set 'pue.options=[{"value": 1.1}] x'
flag_case set_text_control_char    '--set|control character' --set $'pue.note=a\x01b'
flag_case threads_flag_space       "--threads|' 2'"     --threads ' 2'
flag_case seed_flag_fraction       "--seed|'1.5'"       --seed 1.5
flag_case output_same_file_by_path '--csv|--json'       --csv "$O/../out/out.json"
cp "$good" "$gen/scenario_copy.json"   # a copy: a thirst without the check would overwrite it
expect_reject output_is_scenario '--html|scenario file' \
    run "$gen/scenario_copy.json" --html "$gen/scenario_copy.json"
expect_reject draws_first_wraps    '--first|2^64' \
    draws "$good" --first 18446744073709551614 --count 4
expect_reject set_unknown_site     "--set|'Atlantis'" \
    run "$root/priors/gpt3-request-sites.json" --json "$O/out.json" --set site=Atlantis

# ---------------------------------------------------------------- correlations
scenario_case correlation_not_definite correlation_not_definite.json 'correlations:|pue-wue_onsite 0.9 (correlations[0])|wue_onsite-ewif must lie in [0.478, 0.981] as Spearman|[0.4949, 0.9823] as the copula|"repair": true'
scenario_case correlation_not_definite_implicit correlation_not_definite_implicit.json 'correlations:|wue_onsite-ewif 0 (not given)|must lie in'
scenario_case correlation_not_definite_block correlation_not_definite_block.json "correlations:|wue_onsite-carbon_intensity -0.9 (correlations[0])|not positive definite"
scenario_case correlation_not_definite_implied correlation_not_definite_implied.json "correlations:|pue-carbon_intensity 0.6 (correlations[2])|wue_onsite-ewif 0 (not given)|ewif-carbon_intensity 0 (not given)"
scenario_case correlation_above_one correlation_above_one.json 'correlations[0].spearman|strictly between -1 and 1, got 1.2'
scenario_case correlation_perfect correlation_perfect.json 'correlations[0].spearman|strictly between -1 and 1|formula'
scenario_case correlation_param_twice correlation_param_twice.json "correlations[0].params[2]|'pue' appears twice"
scenario_case correlation_pair_twice correlation_pair_twice.json 'correlations[1].spearman|pue-wue_onsite is given twice (also at correlations[0])'
scenario_case correlation_unknown_param correlation_unknown_param.json "correlations[0].params[0]|unknown parameter 'peu'|did you mean 'pue'"
scenario_case correlation_fixed_param correlation_fixed_param.json "correlations[0].params[1]|'accelerators' is fixed"
scenario_case correlation_group_choice correlation_group_choice.json "correlations[0].params[0]|'site' is a choice over several parameters"
scenario_case correlation_group_member correlation_group_member.json "correlations[0].params[0]|'pue' is set by the choice 'site'"
scenario_case correlation_not_symmetric correlation_not_symmetric.json 'correlations[0].spearman[1][0]|0.5 differs from [0][1] = 0.3|symmetric'
scenario_case correlation_bad_diagonal correlation_bad_diagonal.json 'correlations[0].spearman[1][1]|expected 1 on the diagonal'
scenario_case correlation_matrix_shape correlation_matrix_shape.json 'correlations[0].spearman|expected a 3 x 3 matrix'
scenario_case correlation_scalar_for_block correlation_scalar_for_block.json 'correlations[0].spearman|expected a 3 x 3 matrix'
scenario_case correlation_missing_measure correlation_missing_measure.json 'correlations[0]|missing "spearman"'
scenario_case correlation_both_measures correlation_both_measures.json 'correlations[0]|not both'
scenario_case correlation_unknown_field correlation_unknown_field.json "correlations[0].spearmann|did you mean 'spearman'"
scenario_case correlation_not_list correlation_not_list.json 'correlations|expected a list'
scenario_case correlation_one_param correlation_one_param.json 'correlations[0].params|at least two'
scenario_case correlation_repair_not_bool correlation_repair_not_bool.json 'correlations[0].repair|true or false'
scenario_case correlation_param_not_string correlation_param_not_string.json 'correlations[0].params[0]|parameter name'
scenario_case correlation_value_string correlation_value_string.json 'correlations[0].spearman|expected a number or a 2 x 2 matrix'

# ---------------------------------------------------------------- --replay
expect_reject replay_with_scenario "--replay|takes no SCENARIO" \
    run "$good" --replay "$good" --json "$O/out.json"
expect_reject replay_not_a_result "--replay|not the JSON result of thirst run" \
    run --replay "$good" --json "$O/out.json"
expect_reject replay_missing_file "--replay|cannot read" \
    run --replay "$O/none.json" --json "$O/out.json"
"$bin" run "$good" --backend cpu --draws 1000 --quiet --json "$gen/replayable.json" >/dev/null 2>&1
python3 - "$gen/replayable.json" "$gen/replay_draws0.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["settings"]["draws"] = 0
json.dump(d, open(sys.argv[2], "w"))
PY
expect_reject replay_draws_zero "--replay|settings.draws (1 to 1e15)" \
    run --replay "$gen/replay_draws0.json" --json "$O/out.json"
expect_reject replay_over_itself "--json|the result being replayed" \
    run --replay "$gen/replayable.json" --json "$gen/replayable.json"
expect_reject set_null_missing_field "--set hours.nosuch=null|no field 'nosuch'" \
    run "$good" --set hours.nosuch=null --json "$O/out.json"
expect_reject replay_with_seed "--replay|not with --draws, --seed" \
    run --replay "$good" --seed 3 --json "$O/out.json"

# ---------------------------------------------------------------- --sampler rqmc (issue 18)
flag_case sampler_unknown          "--sampler|mc or rqmc|'qmc'" --sampler qmc
flag_case sampler_no_value         '--sampler'          --sampler
flag_case replicates_too_few       "--replicates|8 to 1024|'4'" --sampler rqmc --replicates 4
flag_case replicates_too_many      "--replicates|8 to 1024|'2000'" --sampler rqmc --replicates 2000
flag_case replicates_not_number    "--replicates|'x'"   --sampler rqmc --replicates x
flag_case replicates_without_rqmc  '--replicates|only with --sampler rqmc' --replicates 8
flag_case rqmc_draws_not_power     '--draws 1000000|32 replicates x a power of two|1048576 (32 x 2^15)' \
    --sampler rqmc --draws 1e6
flag_case rqmc_draws_odd_replicates '--draws 1024|12 replicates|768 (12 x 2^6)' \
    --sampler rqmc --replicates 12 --draws 1024
flag_case rqmc_draws_past_2_32     '--draws|at most 2^32 points per replicate' \
    --sampler rqmc --replicates 8 --draws 68719476736
flag_case rqmc_draws_below_replicates '--draws 16|32 replicates|32 (32 x 2^0)' \
    --sampler rqmc --draws 16
flag_case rqmc_max_draws_below_replicates '--max-draws 16|at least one point per replicate' \
    --sampler rqmc --rel-error 0.01 --max-draws 16
expect_reject replicates_on_sensitivity '--replicates|not a flag of' \
    sensitivity "$good" --json "$O/out.json" --sampler rqmc --replicates 8
expect_reject sensitivity_rqmc_base_draws '--base-draws 1000000|64 replicates|524288 (64 x 2^13)' \
    sensitivity "$good" --json "$O/out.json" --sampler rqmc --base-draws 1e6
expect_reject replay_with_sampler "--replay|--sampler" \
    run --replay "$gen/replayable.json" --sampler rqmc --json "$O/out.json"
python3 - "$gen/replayable.json" "$gen/replay_sampler.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["settings"]["sampler"] = {"kind": "rqmc", "replicates": 1}
json.dump(d, open(sys.argv[2], "w"))
PY
expect_reject replay_bad_sampler "--replay|settings.sampler|replicates (8 to 1024)" \
    run --replay "$gen/replay_sampler.json" --json "$O/out.json"
# sensitivity --replay: the command must be the one that wrote the result; its design checked
"$bin" sensitivity "$good" --backend cpu --base-draws 1000 --method tornado --quiet \
    --json "$gen/sensitivity.json" >/dev/null 2>&1
expect_reject replay_run_as_sensitivity "--replay|a result of thirst run: replay it with thirst run" \
    sensitivity --replay "$gen/replayable.json" --json "$O/out.json"
expect_reject replay_sensitivity_as_run \
    "--replay|a result of thirst sensitivity: replay it with thirst sensitivity" \
    run --replay "$gen/sensitivity.json" --json "$O/out.json"
expect_reject replay_sensitivity_with_method "--replay|--method, --base-draws or --tornado-range" \
    sensitivity --replay "$gen/sensitivity.json" --method sobol --json "$O/out.json"
python3 - "$gen/sensitivity.json" "$gen" <<'PY'
import json, sys
for name, key, value in (("methods", "methods", ["sobel"]),
                         ("tornado", "tornado_percentiles", [0.9, 0.1]),
                         ("base", "base_draws", 1)):
    d = json.load(open(sys.argv[1])); d["settings"][key] = value
    json.dump(d, open(f"{sys.argv[2]}/replay_design_{name}.json", "w"))
PY
for name in methods tornado base; do
    expect_reject "replay_sensitivity_bad_$name" \
        "--replay|settings: expected methods (sobol, tornado, src, measured), base_draws" \
        sensitivity --replay "$gen/replay_design_$name.json" --json "$O/out.json"
done

# ---------------------------------------------------------------- --devices (issue 19)
flag_case devices_twice            "--devices|device 1 twice in '0,1,1'" --devices 0,1,1
flag_case devices_not_number       "--devices|0 to 1023|'0,x'" --devices 0,x
flag_case devices_empty_item       "--devices|'0,,1'" --devices 0,,1
flag_case devices_with_device      '--devices|not with --device' --devices 0,1 --device 1
flag_case devices_with_cpu         '--devices|--backend cpu' --devices all --backend cpu

# ---------------------------------------------------------------- --checkpoint, --resume (issue 19)
flag_case checkpoint_every_alone   '--checkpoint-every|only with --checkpoint' --checkpoint-every 5
flag_case checkpoint_every_negative "--checkpoint-every|0 or more|'-1'" \
    --checkpoint "$O/ck" --checkpoint-every -1
flag_case checkpoint_with_dump     '--checkpoint|not with --dump' \
    --checkpoint "$O/ck" --dump "$O/d.npy"
flag_case checkpoint_is_json       '--checkpoint|same file as --json' --checkpoint "$O/out.json"
expect_reject resume_by_first_missing "--resume $O/none.ck.1|cannot read it" \
    run "$root/priors/gpt3-training-sites.json" --by site --json "$O/out.json" --backend cpu \
    --resume "$O/none.ck"
"$bin" run "$root/priors/gpt3-training-sites.json" --by site --backend cpu --draws 1000 --quiet \
    --checkpoint "$gen/by.ck" >/dev/null 2>&1
cp "$gen/by.ck.1" "$gen/by.ck.2"   # option 2's checkpoint is option 1's
expect_reject resume_by_other_option "--resume|by.ck.2: made by another run: the scenario" \
    run "$root/priors/gpt3-training-sites.json" --by site --json "$O/out.json" --backend cpu \
    --draws 1000 --resume "$gen/by.ck"
"$bin" run "$good" --backend cpu --draws 1000 --quiet --checkpoint "$gen/run.ck" >/dev/null 2>&1
head -c 100 "$gen/run.ck" >"$gen/truncated.ck"
cp "$gen/run.ck" "$gen/damaged.ck"
printf '\001' | dd of="$gen/damaged.ck" bs=1 seek=300 conv=notrunc 2>/dev/null
# altered SOURCE DESTINATION OFFSET FORMAT VALUE: a checkpoint with one header field rewritten
# (struct FORMAT at byte OFFSET) and its checksum redone, so that only the field can refuse it;
# FORMAT "pass": the checkpoint of the run's pass alone (a complete run's exact quantiles, after
# its state, dropped), then field OFFSET rewritten as "<Q"; FORMAT "quantiles": a field of the
# exact quantiles (OFFSET: replicate_intervals, outputs, target_output or target_rank, the first
# target's; VALUE added to a rank)
altered() {
    python3 - "$@" <<'PY'
import struct, sys
source, destination, offset, form, value = sys.argv[1:6]
data = bytearray(open(source, "rb").read())
# header: refinement bytes at 108, state bytes at 116, the state from 124, then the refinement
refined, state_bytes = struct.unpack("<QQ", data[108:124])
if form == "pass":
    data = data[:124 + state_bytes] + data[-8:]
    data[108:116] = struct.pack("<Q", 0)
    form = "<Q"
elif form == "quantiles":   # replicate_intervals, passes, targets, outputs (uint32), half-widths
    start = 124 + state_bytes
    targets, outputs = struct.unpack("<II", data[start + 8:start + 16])
    first = start + refined - 16 * targets   # targets: output (uint32), rank (uint64), value
    rank = struct.unpack("<Q", data[first + 4:first + 12])[0]
    offset, form, value = {"replicate_intervals": (start, "<I", value),
                           "outputs": (start + 12, "<I", outputs + 1),
                           "target_output": (first, "<I", value),
                           "target_rank": (first + 4, "<Q", rank + int(value))}[offset]
offset = int(offset)
data[offset:offset + struct.calcsize(form)] = struct.pack(form, int(value))
hash_ = 0xcbf29ce484222325
for byte in data[:-8]:
    hash_ = ((hash_ ^ byte) * 0x100000001b3) & 0xffffffffffffffff
data[-8:] = struct.pack("<Q", hash_)
open(destination, "wb").write(data)
PY
}
altered "$gen/run.ck" "$gen/lying.ck" 76 pass 0   # next_unit 0 for a state of 1,000 draws
flag_case resume_lying_header      '--resume|damaged (its state holds 1000 draws' \
    --draws 1000 --resume "$gen/lying.ck"
altered "$gen/run.ck" "$gen/lying-complete.ck" 76 "<Q" 0   # whole quantiles of no pass
flag_case resume_lying_complete    '--resume|damaged (exact quantiles with a pass that is not whole' \
    --draws 1000 --resume "$gen/lying-complete.ck"
for field in outputs target_output; do   # a refinement that is not one
    altered "$gen/run.ck" "$gen/quantiles-$field.ck" "$field" quantiles 99
    flag_case "resume_quantiles_$field" '--resume|damaged (its exact quantiles)' \
        --draws 1000 --resume "$gen/quantiles-$field.ck"
done
altered "$gen/run.ck" "$gen/quantiles-rank.ck" target_rank quantiles 1000000000000
altered "$gen/run.ck" "$gen/quantiles-rqmc.ck" replicate_intervals quantiles 1   # mc run
for field in rank rqmc; do   # one that does not give the run's statistics
    flag_case "resume_quantiles_$field" "--resume $gen/quantiles-$field.ck: damaged (its exact quantiles do not fit" \
        --draws 1000 --backend cpu --resume "$gen/quantiles-$field.ck"
done
altered "$gen/run.ck" "$gen/short-quantiles.ck" 108 "<Q" 8   # the quantiles' size, a lie
flag_case resume_lying_quantiles   '--resume|truncated or damaged' \
    --draws 1000 --resume "$gen/short-quantiles.ck"
altered "$gen/run.ck" "$gen/other-version.ck" 40 "<I" 99   # another numbers version
flag_case resume_other_version     '--resume|the version (thirst 0.1.0, numbers version 99; here' \
    --draws 1000 --resume "$gen/other-version.ck"
altered "$gen/run.ck" "$gen/gpu.ck" 100 "<I" 7     # as if the CUDA backend wrote it
flag_case resume_other_backend     '--resume|written by the cuda backend|--backend cuda' \
    --draws 1000 --backend cpu --resume "$gen/gpu.ck"
flag_case resume_directory         '--resume|not a regular file' --draws 1000 --resume "$gen"
flag_case resume_other_rule        '--resume|the stopping rule' --rel-error 1e-2 --resume "$gen/run.ck"
flag_case resume_other_seed        '--resume|the seed (2023, here 3) differs' \
    --draws 1000 --seed 3 --resume "$gen/run.ck"
flag_case resume_other_draws       '--resume|the draws (1000, here 2000) differs' \
    --draws 2000 --resume "$gen/run.ck"
flag_case resume_other_scenario    '--resume|the scenario (its text or --set overrides) differs' \
    --draws 1000 --set pue=1.2 --resume "$gen/run.ck"
flag_case resume_other_sampler     '--resume|the draws (1000, here 1024), the sampler differ' \
    --draws 1024 --sampler rqmc --resume "$gen/run.ck"
flag_case resume_truncated         '--resume|truncated or damaged' \
    --draws 1000 --resume "$gen/truncated.ck"
flag_case resume_damaged           '--resume|checksum' --draws 1000 --resume "$gen/damaged.ck"
flag_case resume_not_a_checkpoint  '--resume|not a thirst checkpoint' --draws 1000 --resume "$good"
flag_case resume_missing           '--resume|cannot read' --draws 1000 --resume "$gen/none.ck"
# sensitivity's checkpoints (the Sobol design's batches)
"$bin" sensitivity "$good" --backend cpu --base-draws 16384 --method sobol --quiet \
    --checkpoint "$gen/sens.ck" >/dev/null 2>&1
altered "$gen/sens.ck" "$gen/sens-lying.ck" 76 "<Q" 8   # 8 batches for a state of 64
flag_case resume_sensitivity_checkpoint '--resume|the command (thirst sensitivity, here thirst run)' \
    --draws 16384 --resume "$gen/sens.ck"
expect_reject sensitivity_resume_run_checkpoint \
    '--resume|the command (thirst run, here thirst sensitivity)' \
    sensitivity "$good" --json "$O/out.json" --base-draws 1000 --resume "$gen/run.ck"
expect_reject sensitivity_resume_other_draws '--resume|the draws (16384, here 32768) differs' \
    sensitivity "$good" --json "$O/out.json" --base-draws 32768 --resume "$gen/sens.ck"
expect_reject sensitivity_resume_other_sampler '--resume|the draws (16384, here 4096), the sampler' \
    sensitivity "$good" --json "$O/out.json" --base-draws 4096 --sampler rqmc --resume "$gen/sens.ck"
expect_reject sensitivity_resume_lying '--resume|damaged (its state holds Sobol batches [0, 64)' \
    sensitivity "$good" --json "$O/out.json" --base-draws 16384 --resume "$gen/sens-lying.ck"
expect_reject sensitivity_checkpoint_no_sobol '--checkpoint|checkpoints its Sobol design' \
    sensitivity "$good" --json "$O/out.json" --method tornado --checkpoint "$O/ck"

# ---------------------------------------------------------------- --by
expect_reject by_not_a_choice "--by|'pue' is not a choice" \
    run "$good" --by pue --json "$O/out.json"
expect_reject by_unknown "--by|'planet' is not a parameter" \
    run "$good" --by planet --json "$O/out.json"
expect_reject by_with_set "--by site|not with --set on site" \
    run "$root/priors/gpt3-training-sites.json" --by site --set site=Arizona --json "$O/out.json"
expect_reject by_with_csv "--by|not with --replay" \
    run "$root/priors/gpt3-training-sites.json" --by site --csv "$O/out.csv"

# ---------------------------------------------------------------- sensitivity flags
expect_reject sensitivity_bad_method   "--method|'sobel'" \
    sensitivity "$good" --json "$O/out.json" --method sobel
expect_reject sensitivity_tornado_range '--tornado-range' \
    sensitivity "$good" --json "$O/out.json" --tornado-range 95,5
expect_reject sensitivity_base_draws_zero '--base-draws' \
    sensitivity "$good" --json "$O/out.json" --base-draws 0
expect_reject sensitivity_run_only_flag '--draws|sensitivity' \
    sensitivity "$good" --json "$O/out.json" --draws 10
expect_reject draws_flag_on_point  '--draws|point' \
    point "$good" --json "$O/out.json" --draws 1000
expect_reject unknown_command      "'runn'|did you mean 'run'" \
    runn "$good" --json "$O/out.json" --csv "$O/out.csv"
expect_reject unknown_command_no_suggestion "'simulate'" \
    simulate "$good" --json "$O/out.json" --csv "$O/out.csv"
expect_reject no_command           'missing command'
expect_reject no_scenario          'SCENARIO' \
    run --json "$O/out.json" --csv "$O/out.csv"
expect_reject two_scenarios        'unexpected argument' \
    run "$good" "$good" --json "$O/out.json" --csv "$O/out.csv"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
