# integra io accounts (issue 15): a full MRIO with origin detail, read from a pymrio folder
# or long CSV files, and its accounts; bad input exits 2 naming file:line and the value.
set(mrio ${PROJECT_SOURCE_DIR}/tests/data/mrio)
set(io_bad ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh ${integra} ${mrio}/pymrio_3x2)
add_test(NAME cli.io.help COMMAND ${integra} io accounts --help)
set_tests_properties(cli.io.help PROPERTIES PASS_REGULAR_EXPRESSION "integra io accounts INPUT -o OUT.h5.*--max-dense")
add_test(NAME cli.io.accounts_pymrio
  COMMAND ${expect} 0 "wrote .*io_pymrio.h5 \\(3 regions x 2 sectors, 2 final-demand categories, 2 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_pymrio.h5 --force --write A,L,G --population ${mrio}/population.csv)
add_test(NAME cli.io.accounts_long
  COMMAND ${expect} 0 "wrote .*io_long.h5 \\(3 regions x 2 sectors, 2 final-demand categories, 0 stressor"
          ${integra} io accounts ${mrio}/long_3x2 --format long --unit M.EUR -o ${out}/io_long.h5 --force)
add_test(NAME cli.io.refuses_existing
  COMMAND sh -c "mkdir -p ${out} && touch ${out}/io_exists.h5 && ${expect} 2 'io_exists.h5: exists; not replaced' ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_exists.h5")
add_test(NAME cli.io.max_dense
  COMMAND ${expect} 2 "--write L: the table has 6 region-sectors, above --max-dense 5"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_dense.h5 --force --write L --max-dense 5)
add_test(NAME cli.io.long_needs_unit
  COMMAND ${expect} 2 "--format long needs --unit" ${integra} io accounts ${mrio}/long_3x2 --format long -o ${out}/io_nounit.h5)
add_test(NAME cli.io.negative_flow
  COMMAND ${io_bad} Z.txt "5s/^(REG1\tgoods\t)4/\\1-4/" 2
          "Z.txt:5: row \\(REG1, goods\\), column \\(REG1, food\\): negative intermediate flow -4")
add_test(NAME cli.io.malformed_number
  COMMAND ${io_bad} Y.txt "6s/^(REG2\tfood\t)5/\\1five/" 2
          "Y.txt:6: row \\(REG2, food\\), column \\(REG1, Final consumption expenditure by households\\): malformed number 'five'")
add_test(NAME cli.io.negative_gross_output
  COMMAND ${io_bad} x.txt "2s/74/-74/" 2 "x.txt:2: negative gross output -74 M.EUR of REG1/food")
add_test(NAME cli.io.labels_differ
  COMMAND ${io_bad} emissions/F.txt "2s/goods$/gods/" 2
          "emissions/F.txt:2: column 6 is \\(REG3, gods\\); .*Z.txt has \\(REG3, goods\\)")
add_test(NAME cli.io.stressor_without_unit
  COMMAND ${io_bad} emissions/unit.txt "3s/\tt$/\t/" 2 "emissions/F.txt:5: stressor 'CH4' has no unit in .*emissions/unit.txt")
add_test(NAME cli.io.long_negative_flow
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh ${integra} ${mrio}/long_3x2 intermediate.csv "15s/,6$/,-6/" 2
          "intermediate.csv:15: column 'value': negative intermediate flow -6 from REG2/food to REG2/goods" --format long --unit M.EUR)
# Negative value added in a cell (REG3/food buys 47 more from REG3/goods than it has room
# for): accepted, with a warning, exit 0.
add_test(NAME cli.io.negative_value_added_warns
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh ${integra} ${mrio}/long_3x2 intermediate.csv "s/^REG3,goods,REG3,food,3$/REG3,goods,REG3,food,50/" 0
          "value added\\[REG3/food\\]: warning: negative value added -4 M.EUR \\(accepted\\)" --format long --unit M.EUR)
# The Leontief operator: iterative (L never formed) and the dense back ends; a final-demand
# shock by origin, destination and category; what cannot be combined.
add_test(NAME cli.io.iterative
  COMMAND ${expect} 0 "iterative, L never formed: Jacobi-preconditioned BiCGSTAB"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_iterative.h5 --force --method iterative --write downstream,by_final_product)
add_test(NAME cli.io.iterative_cannot_write_l
  COMMAND ${expect} 2 "--method iterative never forms L"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_iterative_l.h5 --force --method iterative --write L)
add_test(NAME cli.io.shock
  COMMAND ${expect} 0 "wrote .*io_shock.h5"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_shock.h5 --force --shock ${mrio}/shock_3x2.csv --dense-backend lapack --threads 1)
add_test(NAME cli.io.shock_bad_label
  COMMAND sh -c "mkdir -p ${out} && sed 's/^REG2,goods/REG9,goods/' ${mrio}/shock_3x2.csv > ${out}/shock_bad.csv && ${expect} 2 \"shock_bad.csv:3: column 'origin_region': region 'REG9' is not in the table; expected one of 'REG1', 'REG2', 'REG3'\" ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_shock_bad.h5 --force --shock ${out}/shock_bad.csv")
add_test(NAME cli.io.bad_method
  COMMAND ${expect} 2 "--method: expected auto, dense or iterative, got 'fast'"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_method.h5 --force --method fast)
add_test(NAME cli.io.bad_view
  COMMAND ${expect} 2 "--view: expected full or proportional, got 'prop'"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_view.h5 --force --view prop)
