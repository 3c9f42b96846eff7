# Issue 12: never lose a result silently; integra summary and integra export; summary.years.
# Included by tests/cli/CMakeLists.txt (uses its integra, expect, out, demo and flagship).
set(results_flagship ${PROJECT_SOURCE_DIR}/scenarios/celac_customs_union.toml)
set(results_small_sweep ${PROJECT_SOURCE_DIR}/tests/sweep/small_sweep.toml)
set(status ${CMAKE_CURRENT_SOURCE_DIR}/with_status.sh)  # the exit code, for tests that match stdout

# Default output names, refusal to replace another scenario's result, --force, -o; sweeps too.
add_test(NAME cli.output.never_lose_a_result
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/never_lose_a_result.sh ${integra} ${demo} ${results_small_sweep})

# Fixtures: the flagship with summary.years, and a small sweep.
add_test(NAME cli.summary.setup
  COMMAND ${integra} run ${results_flagship} -o ${out}/summary_flagship.h5 --set "summary.years=[2030, 2040]")
set_tests_properties(cli.summary.setup PROPERTIES FIXTURES_SETUP summary_files
  PASS_REGULAR_EXPRESSION "Effects in 2030, scenario vs baseline.*Effects in 2040, scenario vs baseline"
  FAIL_REGULAR_EXPRESSION "Effects in 2050")
add_test(NAME cli.summary.setup_sweep COMMAND ${integra} sweep ${results_small_sweep} -q -o ${out}/summary_sweep.h5)
set_tests_properties(cli.summary.setup_sweep PROPERTIES FIXTURES_SETUP summary_files)
add_test(NAME cli.summary.years_outside_horizon
  COMMAND ${expect} 2 "key 'summary.years': 2070 is outside the horizon 2023-2050"
          ${integra} check ${results_flagship} --set "summary.years=[2040, 2070]")

set(summary_file ${out}/summary_flagship.h5)
# "GDP effect on Brazil in 2040" in one command.
add_test(NAME cli.summary.brazil_2040
  COMMAND ${status} ${integra} summary ${summary_file} --years 2040 --regions BRA --vars gdp_volume_change)
set_tests_properties(cli.summary.brazil_2040 PROPERTIES
  PASS_REGULAR_EXPRESSION "Effects in 2040, scenario vs baseline \\(%\\)\n  region +GDP\n +volume\n  BRA +[-+]0\\.[0-9][0-9][0-9][0-9]\n")
# Without options: the table the run printed (the scenario's summary.years).
add_test(NAME cli.summary.reprint COMMAND ${status} ${integra} summary ${summary_file})
set_tests_properties(cli.summary.reprint PROPERTIES
  PASS_REGULAR_EXPRESSION "Effects in 2030.*welfare +GDP +eq.16.*world.*bloc .*customs_union\\[0\\], members together.*Effects in 2040.*Quote the exact change"
  FAIL_REGULAR_EXPRESSION "Effects in 2050")
add_test(NAME cli.summary.groups_csv
  COMMAND ${status} ${integra} summary ${summary_file} --years 2050 --regions "MERCOSUR + USA - PRY" --vars welfare_change,gdp_volume_change --format csv)
set_tests_properties(cli.summary.groups_csv PROPERTIES
  PASS_REGULAR_EXPRESSION "^year,region,welfare_change \\(%\\),gdp_volume_change \\(%\\)\n(2050,(ARG|BOL|BRA|URY|USA),[-0-9.e]+,[-0-9.e]+\n)+2050,world,"
  FAIL_REGULAR_EXPRESSION "PRY|MEX|CHL")
add_test(NAME cli.summary.markdown COMMAND ${status} ${integra} summary ${summary_file} --years 2050 --regions BRA,MEX --format markdown)
set_tests_properties(cli.summary.markdown PROPERTIES
  PASS_REGULAR_EXPRESSION "\\*\\*Effects in 2050, scenario vs baseline \\(%\\)\\*\\*\n\n\\| region \\| welfare \\(exact\\) \\| GDP volume \\| eq.16 total \\|.*\n\\|---\\|---:\\|.*\\| (BRA|MEX) \\| [-+]0\\.[0-9][0-9][0-9][0-9] \\|")
add_test(NAME cli.summary.sweep_quantiles COMMAND ${status} ${integra} summary ${out}/summary_sweep.h5 --regions BRA)
set_tests_properties(cli.summary.sweep_quantiles PROPERTIES
  PASS_REGULAR_EXPRESSION "Effects in 2027, scenario vs baseline \\(%\\): quantiles 5%, 50%, 95% across 12 of 12 point\\(s\\).*p5 +p50 +p95 +p5 +p50 +p95\n  BRA ")
add_test(NAME cli.summary.sweep_point COMMAND ${status} ${integra} summary ${out}/summary_sweep.h5 --point 7 --regions BRA)
set_tests_properties(cli.summary.sweep_point PROPERTIES PASS_REGULAR_EXPRESSION "Sweep point 7: customs_union.0.external_tariff = [a-z_]+, customs_union.0.revenue = [a-z_]+, equilibrium.trade_elasticity_scale = [0-9.]+\nEffects in 2027.*  BRA ")
set_tests_properties(cli.summary.brazil_2040 cli.summary.groups_csv cli.summary.markdown
  cli.summary.sweep_quantiles cli.summary.sweep_point PROPERTIES FIXTURES_REQUIRED summary_files
  FAIL_REGULAR_EXPRESSION "exit status: [1-9]")
set_tests_properties(cli.summary.reprint PROPERTIES FIXTURES_REQUIRED summary_files
  FAIL_REGULAR_EXPRESSION "Effects in 2050|exit status: [1-9]")
# An input-output sweep: its GDP table across the points (the model comes from its variables).
add_test(NAME cli.summary.setup_io_sweep
  COMMAND ${integra} sweep ${demo} -q --vary "final_demand_shock.0.change=[0.05,0.1,0.2]" -o ${out}/summary_io_sweep.h5)
set_tests_properties(cli.summary.setup_io_sweep PROPERTIES FIXTURES_SETUP summary_io)
add_test(NAME cli.summary.io_sweep COMMAND ${status} ${integra} summary ${out}/summary_io_sweep.h5 --point 1 --format csv)
set_tests_properties(cli.summary.io_sweep PROPERTIES FIXTURES_REQUIRED summary_io
  PASS_REGULAR_EXPRESSION "^year,region,gdp_baseline \\(million USD/year\\),gdp_scenario \\(million USD/year\\),gdp_change \\(%\\)\n2035,south,[0-9.]+,[0-9.]+,[0-9.]+\n"
  FAIL_REGULAR_EXPRESSION "exit status: [1-9]")

# Bad input: exit 2 naming the file and what was expected.
add_test(NAME cli.summary.missing_file COMMAND ${expect} 2 "absent.h5: no such file; expected a results file \\(.h5\\) written by integra run, sweep or merge"
         ${integra} summary ${out}/absent.h5)
add_test(NAME cli.summary.not_a_result COMMAND ${expect} 2 "demo.toml: not an Integra results file \\(.*\\); expected an HDF5 file written by integra run, sweep or merge"
         ${integra} summary ${demo})
add_test(NAME cli.summary.unknown_year COMMAND ${expect} 2 "summary_flagship.h5: --years: 2060 is not a year of this result; expected years in 2023-2050"
         ${integra} summary ${summary_file} --years 2040,2060)
add_test(NAME cli.summary.unknown_region COMMAND ${expect} 2 "summary_flagship.h5: --regions: unknown region or group 'ATLANTIS' in \"BRA \\+ ATLANTIS\"; expected regions ARG,"
         ${integra} summary ${summary_file} --regions "BRA + ATLANTIS")
add_test(NAME cli.summary.unknown_var COMMAND ${expect} 2 "summary_flagship.h5: --vars: 'gdp' is not a variable over \\(year, region\\) of this result; expected one of: welfare_change, "
         ${integra} summary ${summary_file} --vars gdp)
add_test(NAME cli.summary.bad_format COMMAND ${expect} 2 "--format: expected table, csv or markdown, got 'xlsx'"
         ${integra} summary ${summary_file} --format xlsx)
add_test(NAME cli.summary.point_of_a_run COMMAND ${expect} 2 "summary_flagship.h5: --point and --quantiles need a sweep file"
         ${integra} summary ${summary_file} --point 1)
add_test(NAME cli.summary.absent_point COMMAND ${expect} 2 "summary_sweep.h5: --point 40: the sweep has no such point \\(it has 12 point\\(s\\), 0 to 11\\)"
         ${integra} summary ${out}/summary_sweep.h5 --point 40)
set_tests_properties(cli.summary.unknown_year cli.summary.unknown_region cli.summary.unknown_var cli.summary.bad_format
  cli.summary.point_of_a_run cli.summary.absent_point PROPERTIES FIXTURES_REQUIRED summary_files)

# integra export: tidy CSVs and their metadata; never over existing files without --force.
add_test(NAME cli.export.run
  COMMAND sh -c "rm -rf ${out}/export_run && ${integra} export ${summary_file} --csv ${out}/export_run && head -2 ${out}/export_run/trade.csv && grep '^welfare_change,' ${out}/export_run/variables.csv && grep -c . ${out}/export_run/welfare_change.csv")
set_tests_properties(cli.export.run PROPERTIES
  PASS_REGULAR_EXPRESSION "case,year,exporter,importer,sector,value\nbaseline,2023,ARG,ARG,agriculture,0\nwelfare_change,number,year region,1,.*,welfare_change.csv,1064\n1065\n")
add_test(NAME cli.export.exists
  COMMAND sh -c "rm -rf ${out}/export_twice && ${integra} export ${summary_file} --csv ${out}/export_twice --vars welfare_change 2>/dev/null && ${expect} 2 'export_twice/variables.csv: exists \\(and [0-9]+ more file\\(s\\) in .*export_twice\\); not overwritten: use --force to replace them, or another folder' ${integra} export ${summary_file} --csv ${out}/export_twice && ${integra} export ${summary_file} --csv ${out}/export_twice --force")
add_test(NAME cli.export.sweep
  COMMAND sh -c "rm -rf ${out}/export_sweep && ${integra} export ${out}/summary_sweep.h5 --csv ${out}/export_sweep && head -2 ${out}/export_sweep/welfare_change.csv ${out}/export_sweep/customs_union.0.revenue.csv ${out}/export_sweep/point_status.csv")
set_tests_properties(cli.export.sweep PROPERTIES
  PASS_REGULAR_EXPRESSION "point,year,region,value\n0,2023,ARG,0\n.*point,value\n0,kept\n.*point,value\n0,ok")
add_test(NAME cli.export.unknown_var COMMAND ${expect} 2 "summary_flagship.h5: --vars: no variable 'welfare' in this result; expected one of: "
         ${integra} export ${summary_file} --csv ${out}/export_never --vars welfare)
add_test(NAME cli.export.missing_file COMMAND ${expect} 2 "absent.h5: no such file" ${integra} export ${out}/absent.h5 --csv ${out}/export_never)
add_test(NAME cli.export.no_folder COMMAND ${expect} 2 "missing --csv DIR" ${integra} export ${summary_file})
set_tests_properties(cli.export.run cli.export.exists cli.export.sweep cli.export.unknown_var PROPERTIES FIXTURES_REQUIRED summary_files)
foreach(command summary export)
  add_test(NAME cli.help.${command} COMMAND ${integra} ${command} --help)
  set_tests_properties(cli.help.${command} PROPERTIES PASS_REGULAR_EXPRESSION "integra ${command} FILE.h5")
endforeach()

# A sweep's bloc as a region set (its members are the same at every point).
add_test(NAME cli.summary.sweep_bloc_regions
  COMMAND ${status} ${integra} summary ${out}/summary_sweep.h5 --regions "customs_union[0]" --format csv)
set_tests_properties(cli.summary.sweep_bloc_regions PROPERTIES FIXTURES_REQUIRED summary_files
  PASS_REGULAR_EXPRESSION "^year,region,"
  FAIL_REGULAR_EXPRESSION "exit status: [1-9]|unknown region")
