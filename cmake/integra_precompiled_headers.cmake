# Precompiled headers (INTEGRA_PCH, on by default): the third-party headers every
# translation unit of a target would parse again -- Eigen, toml++, Boost.Program_options,
# the standard library -- are parsed once per target instead (docs/performance.md, "First
# result on a fresh machine"). They change what is parsed, not what is computed: the
# results are bitwise identical with and without. -DINTEGRA_PCH=OFF builds without them;
# CI's sanitizer build does, so a file that forgets an #include still fails there.
#
#   integra_precompile_headers(TARGET HEADER...)
function(integra_precompile_headers target)
  if(INTEGRA_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
