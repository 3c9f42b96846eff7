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
# OECD ICIO and WIOD 2016 (single files, origin detail kept) and aggregation by concordance:
# the small tables of tests/data/mrio/icio_small and wiod2016_small (make_icio_wiod_fixtures.py).
set(icio_small ${mrio}/icio_small)
set(io_bad_file ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh --file ${integra})
add_test(NAME cli.io.accounts_icio_2021
  COMMAND ${expect} 0 "wrote .*io_icio2021.h5 \\(3 regions x 2 sectors, 6 final-demand categories, 2 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${icio_small}/ICIO2021_2019.csv --format icio -o ${out}/io_icio2021.h5 --force)
add_test(NAME cli.io.accounts_icio_2025
  COMMAND ${expect} 0 "wrote .*io_icio2025.h5 \\(3 regions x 2 sectors, 6 final-demand categories, 2 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${icio_small}/2022_SML.csv --format icio -o ${out}/io_icio2025.h5 --force --write A)
add_test(NAME cli.io.accounts_wiod
  COMMAND ${expect} 0 "wrote .*io_wiod.h5 \\(3 regions x 2 sectors, 5 final-demand categories, 6 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${mrio}/wiod2016_small/WIOT2014_Nov16_ROW.csv --format wiod -o ${out}/io_wiod.h5 --force)
add_test(NAME cli.io.accounts_icio_aggregated
  COMMAND ${expect} 0 "wrote .*io_icio_agg.h5 \\(2 regions x 1 sectors, 6 final-demand categories, 2 stressor\\(s\\)"
          ${integra} io accounts ${icio_small}/ICIO2021_2019.csv --format icio -o ${out}/io_icio_agg.h5 --force
          --regions-map ${icio_small}/regions_map.csv --sectors-map ${icio_small}/sectors_map.csv)
add_test(NAME cli.io.map_missing_label
  COMMAND ${expect} 2 "regions_map_missing.csv: region 'USA' is not mapped"
          ${integra} io accounts ${icio_small}/ICIO2021_2019.csv --format icio -o ${out}/io_map_bad.h5 --force
          --regions-map ${icio_small}/regions_map_missing.csv)
add_test(NAME cli.io.map_unknown_label
  COMMAND ${expect} 2 "regions_map_unknown.csv:5.*unknown region 'BRA'"
          ${integra} io accounts ${icio_small}/ICIO2021_2019.csv --format icio -o ${out}/io_map_bad2.h5 --force
          --regions-map ${icio_small}/regions_map_unknown.csv)
add_test(NAME cli.io.icio_negative_flow
  COMMAND ${io_bad_file} ${icio_small} ICIO2021_2019.csv "2s/^ARG_D01T03,1,/ARG_D01T03,-1,/" 2
          "ICIO2021_2019.csv:2: row ARG_D01T03, column ARG_D01T03: negative intermediate flow -1 USD million" --format icio)
add_test(NAME cli.io.icio_out_inconsistent
  COMMAND ${io_bad_file} ${icio_small} ICIO2021_2019.csv "s/^OUT,73.75,83.75,/OUT,73.75,84.75,/" 2
          "ICIO2021_2019.csv:12: row OUT, column ARG_D10T33: gross output 84.75 USD million but intermediate inputs \\+ TLS \\+ VA sum to 83.75" --format icio)
add_test(NAME cli.io.wiod_go_inconsistent
  COMMAND ${io_bad_file} ${mrio}/wiod2016_small WIOT2014_Nov16_ROW.csv "s/,r73,73.75,/,r73,74.75,/" 2
          "WIOT2014_Nov16_ROW.csv:7: row MEX/A01: intermediate and final sales sum to 73.75 but gross output \\(row GO, line 20\\) is 74.75" --format wiod)
add_test(NAME cli.io.wiod_unit
  COMMAND ${expect} 0 "wrote .*io_wiod_unit.h5"
          ${integra} io accounts ${mrio}/wiod2016_small/WIOT2014_Nov16_ROW.csv --format wiod --unit "million US dollars" -o ${out}/io_wiod_unit.h5 --force)
# EXIOBASE 3 (zip as distributed, and an unpacked pxp folder) and Eora26, in the layout
# fixtures written by tests/data/mrio/make_layout_fixtures.py.
add_test(NAME cli.io.accounts_exiobase_zip
  COMMAND ${expect} 0 "wrote .*io_exio_zip.h5 \\(3 regions x 2 sectors, 7 final-demand categories, 13 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${mrio}/exiobase3_ixi_small.zip --format exiobase -o ${out}/io_exio_zip.h5 --force)
add_test(NAME cli.io.accounts_exiobase_pxp_folder
  COMMAND ${expect} 0 "wrote .*io_exio_pxp.h5 \\(3 regions x 2 sectors, 7 final-demand categories, 13 stressor\\(s\\); 0 warning"
          ${integra} io accounts ${mrio}/exiobase3_pxp_small --format exiobase -o ${out}/io_exio_pxp.h5 --force)
add_test(NAME cli.io.accounts_eora26
  COMMAND ${expect} 0 "wrote .*io_eora.h5 \\(3 regions x 2 sectors, 6 final-demand categories, 8 stressor\\(s\\); 5 warning"
          ${integra} io accounts ${mrio}/eora26_small --format eora26 --unit k.USD -o ${out}/io_eora.h5 --force)
add_test(NAME cli.io.eora26_warns_row
  COMMAND ${expect} 0 "Eora26_2022_bp_T.txt: warning: dropped the ROW region .*its rows held 2.7 k.USD of intermediate sales"
          ${integra} io accounts ${mrio}/eora26_small --format eora26 --unit k.USD -o ${out}/io_eora_row.h5 --force)
add_test(NAME cli.io.eora26_needs_unit
  COMMAND ${expect} 2 "--format eora26 needs --unit" ${integra} io accounts ${mrio}/eora26_small --format eora26 -o ${out}/io_eora_nounit.h5)
add_test(NAME cli.io.exiobase_negative_gross_output
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh ${integra} ${mrio}/exiobase3_ixi_small x.txt "2s/\t74$/\t-74/" 2
          "x.txt:2: negative gross output -74 M.EUR of AT/Cultivation of wheat" --format exiobase)
add_test(NAME cli.io.exiobase_truncated_zip
  COMMAND sh -c "mkdir -p ${out} && head -c 3000 ${mrio}/exiobase3_ixi_small.zip > ${out}/io_cut.zip && ${expect} 2 'io_cut.zip: no end-of-central-directory record' ${integra} io accounts ${out}/io_cut.zip --format exiobase -o ${out}/io_cut.h5 --force")
add_test(NAME cli.io.eora26_stressor_without_unit
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/io_bad_input.sh ${integra} ${mrio}/eora26_small labels_Q.txt "2s/ \\(Gg\\)//" 2
          "labels_Q.txt:2: stressor 'I-GHG-CO2 emissions' has no unit" --format eora26 --unit k.USD)
# An archive without an entry that file_parameters.json lists: named with the archive.
add_test(NAME cli.io.exiobase_zip_missing_entry
  COMMAND sh -c "mkdir -p ${out} && ${INTEGRA_PYTHON} -c \"import zipfile; a = zipfile.ZipFile('${mrio}/exiobase3_ixi_small.zip'); b = zipfile.ZipFile('${out}/io_noY.zip', 'w', zipfile.ZIP_DEFLATED); [b.writestr(i, a.read(i)) for i in a.infolist() if not i.filename.endswith('/Y.txt')]; b.close()\" && ${expect} 2 'io_noY.zip:IOT_2022_ixi/Y.txt: missing \\(no such entry in the archive\\)' ${integra} io accounts ${out}/io_noY.zip --format exiobase -o ${out}/io_noY.h5 --force")
# Structural paths of one footprint; a stressor that is not in the table exits 2 before any work.
add_test(NAME cli.io.paths
  COMMAND ${expect} 0 "structural paths above 0.001 of the footprint, covering"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_paths.h5 --force --paths CO2,REG2 --paths-threshold 1e-3 --paths-depth 4)
add_test(NAME cli.io.paths_unknown_stressor
  COMMAND ${expect} 2 "--paths: stressor 'SO2' is not in the table; expected one of 'CO2', 'CH4'"
          ${integra} io accounts ${mrio}/pymrio_3x2 -o ${out}/io_paths_bad.h5 --force --paths SO2,REG2)
# integra io decompose: a table against itself, and what it refuses.
add_test(NAME cli.io.decompose_same
  COMMAND ${expect} 0 "wrote .*io_sda.h5 \\(4 factors, 3 regions x 2 sectors, 2 stressor"
          ${integra} io decompose --before ${mrio}/pymrio_3x2 --after ${mrio}/pymrio_3x2 -o ${out}/io_sda.h5 --force)
add_test(NAME cli.io.decompose_bad_ordering
  COMMAND ${expect} 2 "--ordering: expected average, first_polar or second_polar, got 'random'"
          ${integra} io decompose --before ${mrio}/pymrio_3x2 --after ${mrio}/pymrio_3x2 -o ${out}/io_sda2.h5 --ordering random)
add_test(NAME cli.io.decompose_positional
  COMMAND ${expect} 2 "give the tables as --before and --after"
          ${integra} io decompose ${mrio}/pymrio_3x2 --before ${mrio}/pymrio_3x2 --after ${mrio}/pymrio_3x2 -o ${out}/io_sda3.h5)
add_test(NAME cli.io.dataset
  COMMAND ${expect} 0 "wrote .*io_celac38.h5 \\(38 regions x 4 sectors, 1 final-demand categories, 0 stressor"
          ${integra} io accounts celac38 --format dataset -o ${out}/io_celac38.h5 --force)
